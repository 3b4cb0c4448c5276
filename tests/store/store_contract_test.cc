// The store contract: every backend must pass these tests unchanged (TEST_P over
// StoreBackends()). They pin tenant scoping, uniqueness, linking of e-learning accounts and
// the bulk paths.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <optional>
#include <span>

#include "core/email.h"
#include "core/key_hash.h"
#include "support/checked_jobs.h"
#include "support/store_backends.h"

namespace roster {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;
using testing::StoreBackend;
using testing::TempDir;

constexpr int64_t kNow = 1'764'000'000;

User MakeUser(std::string email, std::string first, std::string last) {
  User user;
  user.email = email;
  user.email_key = *EmailKey(email);
  user.first_name = std::move(first);
  user.last_name = std::move(last);
  user.language = "en";
  return user;
}

ImportJob ValidatedJob(Store& store, const Organization& organization,
                       std::span<const PlannedDeletion> plan = {},
                       std::span<const ImportIssue> issues = {}) {
  return testing::CheckedJob(store, organization.id, plan, issues);
}

class StoreContractTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    if (!GetParam().skip.empty()) GTEST_SKIP() << GetParam().skip;
    Result<std::unique_ptr<Store>> opened = GetParam().open(dir_, clock_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    acme_ = Create("acme", "acme.example");
    globex_ = Create("globex", "globex.example");
  }

  Organization Create(const std::string& slug, const std::string& domain) {
    Result<Organization> created =
        store_->CreateOrganization({0, slug, slug + " Inc.", "en", {domain}});
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : Organization{};
  }

  User Add(const Organization& organization, std::string email, std::string first = "Anna",
           std::string last = "Schmidt") {
    Result<User> created = store_->CreateUser(organization.id, MakeUser(email, first, last));
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : User{};
  }

  TempDir dir_;
  FixedClock clock_{kNow};
  std::unique_ptr<Store> store_;
  Organization acme_;
  Organization globex_;
};

TEST_P(StoreContractTest, CreatesAndFindsOrganizations) {
  Result<Organization> found = store_->FindOrganization("acme");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, acme_.id);
  EXPECT_EQ(found->name, "acme Inc.");
  EXPECT_THAT(found->domains, ElementsAre("acme.example"));

  Result<std::vector<Organization>> all = store_->ListOrganizations();
  ASSERT_TRUE(all.ok());
  ASSERT_THAT(*all, SizeIs(2));
  EXPECT_EQ((*all)[0].slug, "acme");
  EXPECT_EQ((*all)[1].slug, "globex");
}

TEST_P(StoreContractTest, RefusesADuplicateSlug) {
  Result<Organization> again = store_->CreateOrganization({0, "acme", "Other", "en", {}});
  EXPECT_EQ(again.status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.status().message(), "an organization with the slug 'acme' exists already");
}

TEST_P(StoreContractTest, UnknownOrganizationIsNotFound) {
  Result<Organization> missing = store_->FindOrganization("initech");
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "no organization with the slug 'initech'");
}

TEST_P(StoreContractTest, CreatesAndReadsAUserWithAllAttributes) {
  User user = MakeUser("Anna.Schmidt@acme.example", "Anna", "Schmidt");
  user.gender = "female";
  user.academic_degree = "Dr.";
  user.language = "de";
  user.address_type = "single";
  user.manager_email = "boss@acme.example";
  user.department = "Finance";
  user.location = "Berlin";
  user.employee_id = "E1";
  user.groups = {"Managers", "Berlin office"};
  Result<User> created = store_->CreateUser(acme_.id, user);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->created_at, kNow);

  Result<User> read = store_->GetUser(acme_.id, created->id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->email, "Anna.Schmidt@acme.example");
  EXPECT_EQ(read->email_key, "anna.schmidt@acme.example");
  EXPECT_EQ(read->gender, "female");
  EXPECT_EQ(read->academic_degree, "Dr.");
  EXPECT_EQ(read->language, "de");
  EXPECT_EQ(read->manager_email, "boss@acme.example");
  EXPECT_EQ(read->department, "Finance");
  EXPECT_EQ(read->location, "Berlin");
  EXPECT_EQ(read->employee_id, "E1");
  EXPECT_THAT(read->groups, ElementsAre("Berlin office", "Managers"));
  EXPECT_EQ(read->updated_at, kNow);
}

TEST_P(StoreContractTest, RefusesTheSameKeyTwiceInOneOrganization) {
  Add(acme_, "anna@acme.example");
  Result<User> again = store_->CreateUser(acme_.id, MakeUser("ANNA@acme.example", "A", "S"));
  EXPECT_EQ(again.status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.status().message(), "a user with the address ANNA@acme.example exists already");
}

TEST_P(StoreContractTest, SameAddressMayExistInTwoOrganizations) {
  Add(acme_, "anna@shared.example");
  Result<User> other = store_->CreateUser(globex_.id, MakeUser("anna@shared.example", "A", "S"));
  EXPECT_TRUE(other.ok()) << other.status().ToString();
}

TEST_P(StoreContractTest, RefusesAValueOutsideTheAllowedSet) {
  User user = MakeUser("anna@acme.example", "Anna", "Schmidt");
  user.gender = "robot";
  Result<User> created = store_->CreateUser(acme_.id, user);
  EXPECT_EQ(created.status().code(), ErrorCode::kInvalidArgument);
}

TEST_P(StoreContractTest, BulkCreateIsAllOrNothing) {
  std::vector<User> users = {MakeUser("a@acme.example", "A", "A"),
                             MakeUser("b@acme.example", "B", "B"),
                             MakeUser("A@acme.example", "A", "Again")};
  Status status = store_->CreateUsers(acme_.id, users);
  EXPECT_EQ(status.code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(*store_->CountUsers(acme_.id), 0);
}

TEST_P(StoreContractTest, BulkCreateAssignsIds) {
  std::vector<User> users;
  for (int i = 0; i < 2500; ++i) {
    users.push_back(MakeUser("user" + std::to_string(i) + "@acme.example", "F", "L"));
  }
  ASSERT_TRUE(store_->CreateUsers(acme_.id, users).ok());
  EXPECT_EQ(*store_->CountUsers(acme_.id), 2500);
  EXPECT_GT(users.front().id, 0);
  EXPECT_NE(users.front().id, users.back().id);
  EXPECT_EQ(*store_->CountUsers(globex_.id), 0);
}

TEST_P(StoreContractTest, AnotherOrganizationsUserIsNotFound) {
  User anna = Add(acme_, "anna@acme.example");
  Result<User> from_globex = store_->GetUser(globex_.id, anna.id);
  Result<User> nonexistent = store_->GetUser(globex_.id, anna.id + 1000);
  EXPECT_EQ(from_globex.status().code(), ErrorCode::kNotFound);
  // The same answer as for an id that does not exist: nothing to learn.
  EXPECT_EQ(from_globex.status().message(), "no user with the id " + std::to_string(anna.id));
  EXPECT_EQ(nonexistent.status().code(), ErrorCode::kNotFound);
}

TEST_P(StoreContractTest, UpdatesEveryAttributeAndRelinksAWaitingAccount) {
  User anna = Add(acme_, "anna@acme.example");
  ASSERT_TRUE(store_->CreateElearningAccount(acme_.id, "anna.new@acme.example").ok());
  anna.email = "Anna.New@acme.example";
  anna.email_key = "anna.new@acme.example";
  anna.department = "Legal";
  anna.groups = {"Legal team"};
  clock_.Set(kNow + 60);
  Result<User> updated = store_->UpdateUser(acme_.id, anna);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->email, "Anna.New@acme.example");
  EXPECT_EQ(updated->department, "Legal");
  EXPECT_THAT(updated->groups, ElementsAre("Legal team"));
  EXPECT_EQ(updated->created_at, kNow);
  EXPECT_EQ(updated->updated_at, kNow + 60);
  Result<UserPage> page = store_->ListUsers(acme_.id, {});
  EXPECT_TRUE(page->users[0].elearning_account_id.has_value());
}

TEST_P(StoreContractTest, UpdateRefusesATakenAddressAndForeignUsers) {
  User anna = Add(acme_, "anna@acme.example");
  Add(acme_, "bob@acme.example");
  anna.email = anna.email_key = "bob@acme.example";
  EXPECT_EQ(store_->UpdateUser(acme_.id, anna).status().code(), ErrorCode::kAlreadyExists);
  anna.email = anna.email_key = "anna@acme.example";
  EXPECT_EQ(store_->UpdateUser(globex_.id, anna).status().code(), ErrorCode::kNotFound);
}

TEST_P(StoreContractTest, DeletesOneUserWithOrWithoutItsAccount) {
  User anna = Add(acme_, "anna@acme.example");
  User bob = Add(acme_, "bob@acme.example");
  ASSERT_TRUE(store_->CreateElearningAccount(acme_.id, "anna@acme.example").ok());
  ASSERT_TRUE(store_->CreateElearningAccount(acme_.id, "bob@acme.example").ok());
  const AuditEntry audit{"admin@acme.example", "user.delete", "{\"user_id\": 1}"};
  EXPECT_EQ(store_->DeleteUser(globex_.id, anna.id, true, audit).code(), ErrorCode::kNotFound);
  EXPECT_TRUE(store_->ListAuditEvents(globex_.id, 0, 10)->empty());
  ASSERT_TRUE(store_->DeleteUser(acme_.id, anna.id, /*delete_elearning=*/true, audit).ok());
  ASSERT_TRUE(store_->DeleteUser(acme_.id, bob.id, /*delete_elearning=*/false, {}).ok());
  Result<std::vector<AuditEvent>> events = store_->ListAuditEvents(acme_.id, 0, 10);
  ASSERT_EQ(events->size(), 1u);  // the second deletion asked for none
  EXPECT_EQ((*events)[0].action, "user.delete");
  EXPECT_EQ((*events)[0].actor, "admin@acme.example");
  EXPECT_EQ((*events)[0].at, kNow);
  EXPECT_EQ(*store_->CountUsers(acme_.id), 0);
  EXPECT_EQ(*store_->CountElearningAccounts(acme_.id), 1);  // bob's, unlinked
  EXPECT_EQ(store_->DeleteUser(acme_.id, anna.id, true, audit).code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->ListAuditEvents(acme_.id, 0, 10)->size(), 1u);  // nothing to record
}

TEST_P(StoreContractTest, ListsPagesWithTotal) {
  for (int i = 0; i < 7; ++i) Add(acme_, "user" + std::to_string(i) + "@acme.example");
  Add(globex_, "other@globex.example");
  Result<UserPage> page = store_->ListUsers(acme_.id, {"", UserSort::kEmail, false, 3, 3});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 7);
  ASSERT_THAT(page->users, SizeIs(3));
  EXPECT_EQ(page->users[0].user.email, "user3@acme.example");
  EXPECT_EQ(page->users[2].user.email, "user5@acme.example");
}

TEST_P(StoreContractTest, SearchesNamesAndAddressesCaseInsensitively) {
  Add(acme_, "anna.schmidt@acme.example", "Anna", "Schmidt");
  Add(acme_, "jurgen@acme.example", "Jürgen", "Müller");
  Add(acme_, "per_cent@acme.example", "Per", "Cent");
  Add(globex_, "anna@globex.example", "Anna", "Other");

  auto emails = [&](const std::string& search) {
    std::vector<std::string> found;
    Result<UserPage> page = store_->ListUsers(acme_.id, {search, UserSort::kEmail, false, 50, 0});
    EXPECT_TRUE(page.ok());
    for (const auto& entry : page->users) found.push_back(entry.user.email);
    return found;
  };
  EXPECT_THAT(emails("ANNA"), ElementsAre("anna.schmidt@acme.example"));
  EXPECT_THAT(emails("Müller"), ElementsAre("jurgen@acme.example"));
  EXPECT_THAT(emails("anna schmidt"), ElementsAre("anna.schmidt@acme.example"));
  // LIKE wildcards in the search are literal characters.
  EXPECT_THAT(emails("_"), ElementsAre("per_cent@acme.example"));
  EXPECT_THAT(emails("%"), ElementsAre());
}

TEST_P(StoreContractTest, SortsByTheChosenColumn) {
  Add(acme_, "c@acme.example", "Carla", "Zimmer");
  Add(acme_, "a@acme.example", "Bernd", "Yilmaz");
  Add(acme_, "b@acme.example", "Anna", "Xu");
  auto first_names = [&](UserSort sort, bool descending) {
    std::vector<std::string> names;
    Result<UserPage> page = store_->ListUsers(acme_.id, {"", sort, descending, 50, 0});
    for (const auto& entry : page->users) names.push_back(entry.user.first_name);
    return names;
  };
  EXPECT_THAT(first_names(UserSort::kEmail, false), ElementsAre("Bernd", "Anna", "Carla"));
  EXPECT_THAT(first_names(UserSort::kFirstName, false), ElementsAre("Anna", "Bernd", "Carla"));
  EXPECT_THAT(first_names(UserSort::kLastName, true), ElementsAre("Carla", "Bernd", "Anna"));
}

TEST_P(StoreContractTest, AccountCreatedForAnExistingUserIsLinked) {
  User anna = Add(acme_, "anna@acme.example");
  Result<ElearningAccount> account = store_->CreateElearningAccount(acme_.id, anna.email_key);
  ASSERT_TRUE(account.ok()) << account.status().ToString();
  EXPECT_EQ(account->user_id, anna.id);
  EXPECT_EQ(account->created_at, kNow);

  Result<UserPage> page = store_->ListUsers(acme_.id, {});
  ASSERT_THAT(page->users, SizeIs(1));
  EXPECT_EQ(page->users[0].elearning_account_id, account->id);
}

TEST_P(StoreContractTest, AccountWithoutUserIsLinkedWhenTheUserArrives) {
  Result<ElearningAccount> account = store_->CreateElearningAccount(acme_.id, "bob@acme.example");
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->user_id, std::nullopt);
  User bob = Add(acme_, "Bob@acme.example");
  EXPECT_EQ(store_->GetElearningAccount(acme_.id, account->id)->user_id, bob.id);
}

TEST_P(StoreContractTest, AccountNeverLinksAcrossOrganizations) {
  Add(globex_, "anna@shared.example");
  Result<ElearningAccount> account =
      store_->CreateElearningAccount(acme_.id, "anna@shared.example");
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->user_id, std::nullopt);
}

TEST_P(StoreContractTest, CreatesManyAccountsAllOrNothing) {
  User anna = Add(acme_, "anna@acme.example");
  std::vector<std::string> keys = {"anna@acme.example", "bob@acme.example"};
  Result<std::vector<ElearningAccount>> created = store_->CreateElearningAccounts(acme_.id, keys);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  ASSERT_THAT(*created, SizeIs(2));
  EXPECT_EQ((*created)[0].user_id, anna.id);
  EXPECT_EQ((*created)[1].user_id, std::nullopt);
  std::vector<std::string> again = {"carla@acme.example", "bob@acme.example"};
  EXPECT_EQ(store_->CreateElearningAccounts(acme_.id, again).status().code(),
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(*store_->CountElearningAccounts(acme_.id), 2);
}

TEST_P(StoreContractTest, RefusesASecondAccountForTheSameKey) {
  ASSERT_TRUE(store_->CreateElearningAccount(acme_.id, "anna@acme.example").ok());
  Result<ElearningAccount> again = store_->CreateElearningAccount(acme_.id, "anna@acme.example");
  EXPECT_EQ(again.status().code(), ErrorCode::kAlreadyExists);
}

TEST_P(StoreContractTest, RecordsProgressAndCertificatesOfOwnAccountsOnly) {
  Result<ElearningAccount> account = store_->CreateElearningAccount(acme_.id, "a@acme.example");
  ASSERT_TRUE(account.ok());
  LearningProgress progress{account->id, "passwords", ProgressStatus::kCompleted, 90, kNow};
  Certificate certificate{account->id, "passwords", kNow};
  ASSERT_TRUE(store_->RecordLearning(acme_.id, {&progress, 1}, {}).ok());
  progress.score = 95;
  // An update, not a second row.
  ASSERT_TRUE(store_->RecordLearning(acme_.id, {&progress, 1}, {&certificate, 1}).ok());

  Result<std::vector<LearningProgress>> list = store_->ListProgress(acme_.id, account->id);
  ASSERT_TRUE(list.ok());
  ASSERT_THAT(*list, SizeIs(1));
  EXPECT_EQ((*list)[0].score, 95);
  EXPECT_EQ((*list)[0].status, ProgressStatus::kCompleted);
  EXPECT_THAT(*store_->ListCertificates(acme_.id, account->id), SizeIs(1));

  progress.score = 10;
  EXPECT_EQ(store_->RecordLearning(globex_.id, {&progress, 1}, {}).code(), ErrorCode::kNotFound);
  EXPECT_EQ((*store_->ListProgress(acme_.id, account->id))[0].score, 95);
  EXPECT_EQ(store_->ListProgress(globex_.id, account->id).status().code(), ErrorCode::kNotFound);
}

TEST_P(StoreContractTest, VisitsEveryUserKeyWithTheLinkFlag) {
  User b = Add(acme_, "b@acme.example");
  User a = Add(acme_, "a@acme.example");
  Add(globex_, "c@globex.example");
  ASSERT_TRUE(store_->CreateElearningAccount(acme_.id, "b@acme.example").ok());
  std::vector<std::tuple<int64_t, std::string, bool>> seen;
  ASSERT_TRUE(store_
                  ->ForEachUserKey(acme_.id,
                                   [&](const UserKey& key) {
                                     seen.emplace_back(key.user_id, key.email_key,
                                                       key.has_elearning);
                                   })
                  .ok());
  EXPECT_THAT(seen, ::testing::UnorderedElementsAre(std::make_tuple(a.id, "a@acme.example", false),
                                                    std::make_tuple(b.id, "b@acme.example", true)));
}

TEST_P(StoreContractTest, AnIdOfADeletedUserOrAccountIsNeverGivenAgain) {
  // A Roster ID in an older export (add/update keys on it) must never name someone else.
  User anna = Add(acme_, "anna@acme.example");
  User bob = Add(acme_, "bob@acme.example");
  std::vector<std::string> keys = {"anna@acme.example", "bob@acme.example"};
  Result<std::vector<ElearningAccount>> accounts = store_->CreateElearningAccounts(acme_.id, keys);
  ASSERT_TRUE(accounts.ok());
  const int64_t bobs_account = (*accounts)[1].id;
  ASSERT_GT(bob.id, anna.id);
  ASSERT_TRUE(
      store_->DeleteUser(acme_.id, bob.id, /*delete_elearning=*/true, {"t", "user.delete", "{}"})
          .ok());
  User carla = Add(acme_, "carla@acme.example");
  EXPECT_GT(carla.id, bob.id);
  Result<ElearningAccount> account = store_->CreateElearningAccount(acme_.id, carla.email_key);
  ASSERT_TRUE(account.ok());
  EXPECT_GT(account->id, bobs_account);
}

TEST_P(StoreContractTest, FlagsLinkedUsersAlsoWhenTheOrganizationHoldsFewOfTheAccounts) {
  // Few of all accounts: SQLite reads them through the organization's index rather than
  // scanning the table; the flags must be the same.
  std::vector<std::string> globex_keys;
  for (int i = 0; i < 30; ++i) {
    globex_keys.push_back("g" + std::to_string(i) + "@globex.example");
    Add(globex_, globex_keys.back());
  }
  ASSERT_TRUE(store_->CreateElearningAccounts(globex_.id, globex_keys).ok());
  User linked = Add(acme_, "linked@acme.example");
  User unlinked = Add(acme_, "unlinked@acme.example");
  ASSERT_TRUE(store_->CreateElearningAccount(acme_.id, "linked@acme.example").ok());
  std::map<int64_t, bool> flags;
  ASSERT_TRUE(store_
                  ->ForEachUserKey(
                      acme_.id, [&](const UserKey& key) { flags[key.user_id] = key.has_elearning; })
                  .ok());
  EXPECT_THAT(flags, ::testing::UnorderedElementsAre(::testing::Pair(linked.id, true),
                                                     ::testing::Pair(unlinked.id, false)));
}

TEST_P(StoreContractTest, ASmallPlanInALargeOrganizationDeletesOnlyWhatMatches) {
  // A plan far smaller than the organization takes the backend's lookup path (a large one
  // scans); both must give the same answers.
  std::vector<User> users;
  std::vector<std::string> keys;
  for (int i = 0; i < 40; ++i) {
    users.push_back(Add(acme_, "user" + std::to_string(i) + "@acme.example"));
    keys.push_back(users.back().email_key);
  }
  ASSERT_TRUE(store_->CreateElearningAccounts(acme_.id, keys).ok());
  std::vector<PlannedDeletion> plan = {
      {users[3].id, KeyHash(users[3].email_key), 5, {}},
      {users[7].id, KeyHash("someone.else@acme.example"), 9, {}}};  // changed since the plan
  std::optional<ImportJob> created = ValidatedJob(*store_, acme_, plan);
  ASSERT_TRUE(store_->ClaimJob(acme_.id, created->id, created->version, "w").ok());
  DeletionRequest request{
      acme_.id, created->id, "w", plan, /*delete_elearning=*/true, {"test", "import.delete", "{}"},
      {},       ""};
  Result<DeletionOutcome> outcome = store_->ExecuteDeletion(request);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(outcome->deleted, 1);
  EXPECT_EQ(outcome->elearning_deleted, 1);
  EXPECT_THAT(outcome->gone_rows, ElementsAre(9));
  EXPECT_EQ(*store_->CountUsers(acme_.id), 39);
  EXPECT_EQ(*store_->CountElearningAccounts(acme_.id), 39);
  EXPECT_EQ(store_->GetUser(acme_.id, users[3].id).status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(store_->GetUser(acme_.id, users[7].id).ok());
}

// One plan, run against an organization of `users` users: the first six named by rows 2 to 7,
// where row 3's user was deleted since, row 4's address changed, row 5 names row 2's user
// again, row 6 names another organization's user, and row 7's user has an account.
void RunTheSamePlan(Store& store, const Organization& acme, const Organization& globex, int users,
                    const std::function<User(const Organization&, std::string)>& add) {
  std::vector<User> members;
  for (int i = 0; i < users; ++i)
    members.push_back(add(acme, "u" + std::to_string(i) + "@acme.example"));
  User outsider = add(globex, "outsider@globex.example");
  ASSERT_TRUE(store.DeleteUser(acme.id, members[1].id, true, {"test", "user.delete", "{}"}).ok());
  ASSERT_TRUE(store.CreateElearningAccount(acme.id, members[5].email_key).ok());
  std::vector<PlannedDeletion> plan = {{members[0].id, KeyHash(members[0].email_key), 2, {}},
                                       {members[1].id, KeyHash(members[1].email_key), 3, {}},
                                       {members[2].id, KeyHash("renamed@acme.example"), 4, {}},
                                       {members[0].id, KeyHash(members[0].email_key), 5, {}},
                                       {outsider.id, KeyHash(outsider.email_key), 6, {}},
                                       {members[5].id, KeyHash(members[5].email_key), 7, {}}};
  std::optional<ImportJob> created = ValidatedJob(store, acme, plan);
  ASSERT_TRUE(store.ClaimJob(acme.id, created->id, created->version, "w").ok());
  DeletionRequest request{
      acme.id, created->id, "w", plan, /*delete_elearning=*/true, {"test", "import.delete", "{}"},
      {},      ""};
  Result<DeletionOutcome> outcome = store.ExecuteDeletion(request);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(outcome->deleted, 2);
  EXPECT_EQ(outcome->elearning_deleted, 1);
  EXPECT_EQ(outcome->already_gone, 3);
  EXPECT_THAT(outcome->gone_rows, ElementsAre(3, 4, 6));
  EXPECT_EQ(*store.CountUsers(acme.id), users - 3);
  EXPECT_EQ(store.GetUser(acme.id, members[0].id).status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(store.GetUser(acme.id, members[2].id).ok());
  EXPECT_TRUE(store.GetUser(globex.id, outsider.id).ok());
  EXPECT_EQ(*store.CountElearningAccounts(acme.id), 0);
}

TEST_P(StoreContractTest, ALargePlanDeletesOnlyWhatStillMatches) {
  // The plan names most of the organization: the backend scans rather than looks up.
  RunTheSamePlan(*store_, acme_, globex_, 8,
                 [this](const Organization& o, std::string email) { return Add(o, email); });
}

TEST_P(StoreContractTest, ASmallPlanGivesTheSameAnswersAsALargeOne) {
  RunTheSamePlan(*store_, acme_, globex_, 200,
                 [this](const Organization& o, std::string email) { return Add(o, email); });
}

TEST_P(StoreContractTest, DeletionLeavesNoDanglingReferences) {
  // Execution may bypass the database's own cascades for speed; what it leaves must still be
  // consistent: no account pointing at a deleted user, no progress of a deleted account.
  User anna = Add(acme_, "anna@acme.example");
  User bob = Add(acme_, "bob@acme.example");
  Add(acme_, "carla@acme.example");
  std::vector<std::string> keys = {"anna@acme.example", "bob@acme.example", "carla@acme.example"};
  auto accounts = store_->CreateElearningAccounts(acme_.id, keys);
  ASSERT_TRUE(accounts.ok());
  std::vector<LearningProgress> progress;
  std::vector<Certificate> certificates;
  for (const ElearningAccount& account : *accounts) {
    progress.push_back({account.id, "passwords", ProgressStatus::kCompleted, 80, kNow});
    certificates.push_back({account.id, "passwords", kNow});
  }
  ASSERT_TRUE(store_->RecordLearning(acme_.id, progress, certificates).ok());
  std::vector<PlannedDeletion> plan = {{anna.id, KeyHash(anna.email_key), 2, {}},
                                       {bob.id, KeyHash(bob.email_key), 3, {}}};
  std::optional<ImportJob> created = ValidatedJob(*store_, acme_, plan);
  ASSERT_TRUE(store_->ClaimJob(acme_.id, created->id, created->version, "w").ok());
  DeletionRequest request{
      acme_.id, created->id, "w", plan, /*delete_elearning=*/true, {"test", "import.delete", "{}"},
      {},       ""};
  Result<DeletionOutcome> outcome = store_->ExecuteDeletion(request);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(outcome->deleted, 2);
  EXPECT_EQ(outcome->elearning_deleted, 2);
  EXPECT_EQ(*store_->CountElearningAccounts(acme_.id), 1);
  EXPECT_EQ(store_->ListProgress(acme_.id, (*accounts)[2].id)->size(), 1u);
  EXPECT_EQ(store_->ListProgress(acme_.id, (*accounts)[0].id).status().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(store_->GetJob(acme_.id, created->id)->state, JobState::kDone);
}

TEST_P(StoreContractTest, IssuesAreListedInOrderAndCountedByCodeForTheirOrganizationOnly) {
  std::vector<ImportIssue> issues = {
      {2, "E-Mail", "x", IssueCode::kInvalidEmail, Severity::kError, "bad", std::nullopt},
      {3, "E-Mail", "a@acme-crop.example", IssueCode::kNotFound, Severity::kError, "gone",
       "a@acme.example"},
      {5, "E-Mail", "b@acme.example", IssueCode::kNotFound, Severity::kError, "gone",
       std::nullopt}};
  std::optional<ImportJob> created = ValidatedJob(*store_, acme_, {}, issues);
  Result<std::vector<ImportIssue>> page = store_->ListIssues(acme_.id, created->id, 1, 10);
  ASSERT_TRUE(page.ok());
  ASSERT_THAT(*page, SizeIs(2));
  EXPECT_EQ((*page)[0].row, 3);
  EXPECT_EQ((*page)[0].suggestion, "a@acme.example");
  EXPECT_EQ((*page)[1].suggestion, std::nullopt);
  Result<std::map<std::string, int64_t>> counts = store_->CountIssues(acme_.id, created->id);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(*counts, (std::map<std::string, int64_t>{{"invalid_email", 1}, {"not_found", 2}}));
  EXPECT_EQ(store_->CountIssues(globex_.id, created->id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->ListIssues(globex_.id, created->id, 0, 10).status().code(),
            ErrorCode::kNotFound);
}

TEST_P(StoreContractTest, GetsAnOrganizationByIdWithItsDomains) {
  Result<Organization> found = store_->GetOrganization(globex_.id);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->slug, "globex");
  EXPECT_EQ(found->domains, std::vector<std::string>{"globex.example"});
  EXPECT_EQ(store_->GetOrganization(999'999).status().code(), ErrorCode::kNotFound);
}

Admin MakeAdmin(const Organization& organization, std::string email, AdminRole role) {
  return Admin{0, organization.id, std::move(email), "$argon2id$hash", role, 0};
}

TEST_P(StoreContractTest, AnAddressIsTheAdminOfOneOrganizationOnly) {
  Result<Admin> owner =
      store_->CreateAdmin(MakeAdmin(acme_, "owner@acme.example", AdminRole::kOwner));
  ASSERT_TRUE(owner.ok()) << owner.status().ToString();
  EXPECT_GT(owner->id, 0);
  EXPECT_EQ(owner->created_at, kNow);
  EXPECT_EQ(store_->CreateAdmin(MakeAdmin(globex_, "owner@acme.example", AdminRole::kViewer))
                .status()
                .code(),
            ErrorCode::kAlreadyExists);
  Result<Admin> found = store_->FindAdminByEmail("owner@acme.example");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->org_id, acme_.id);
  EXPECT_EQ(found->role, AdminRole::kOwner);
  EXPECT_EQ(found->password_hash, "$argon2id$hash");
  EXPECT_EQ(store_->FindAdminByEmail("nobody@acme.example").status().code(), ErrorCode::kNotFound);
}

TEST_P(StoreContractTest, AdminsOfAnotherOrganizationLookNonexistent) {
  Admin owner = *store_->CreateAdmin(MakeAdmin(acme_, "owner@acme.example", AdminRole::kOwner));
  Admin viewer = *store_->CreateAdmin(MakeAdmin(acme_, "viewer@acme.example", AdminRole::kViewer));
  Admin other = *store_->CreateAdmin(MakeAdmin(globex_, "boss@globex.example", AdminRole::kOwner));
  Result<std::vector<Admin>> listed = store_->ListAdmins(acme_.id);
  ASSERT_TRUE(listed.ok());
  ASSERT_THAT(*listed, SizeIs(2));
  EXPECT_EQ((*listed)[0].email, "owner@acme.example");
  EXPECT_EQ((*listed)[1].role, AdminRole::kViewer);
  EXPECT_EQ(store_->GetAdmin(acme_.id, other.id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->GetAdmin(acme_.id, 999'999).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->DeleteAdmin(acme_.id, other.id).code(), ErrorCode::kNotFound);
  EXPECT_TRUE(store_->GetAdmin(globex_.id, other.id).ok());
  ASSERT_TRUE(store_->DeleteAdmin(acme_.id, viewer.id).ok());
  EXPECT_EQ(store_->GetAdmin(acme_.id, viewer.id).status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(store_->GetAdmin(acme_.id, owner.id).ok());
}

TEST_P(StoreContractTest, SessionsExpireAndGoWithTheirAdmin) {
  Admin owner = *store_->CreateAdmin(MakeAdmin(acme_, "owner@acme.example", AdminRole::kOwner));
  Admin viewer = *store_->CreateAdmin(MakeAdmin(acme_, "viewer@acme.example", AdminRole::kViewer));
  ASSERT_TRUE(store_->CreateSession({"h1", owner.id, acme_.id, "csrf1", kNow, kNow + 100}).ok());
  ASSERT_TRUE(store_->CreateSession({"h2", viewer.id, acme_.id, "csrf2", kNow, kNow + 100}).ok());
  ASSERT_TRUE(store_->CreateSession({"h3", owner.id, acme_.id, "csrf3", kNow, kNow + 10}).ok());

  Result<AdminSession> found = store_->FindSession("h1", kNow + 50);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->admin_id, owner.id);
  EXPECT_EQ(found->org_id, acme_.id);
  EXPECT_EQ(found->csrf_token, "csrf1");
  EXPECT_EQ(found->expires_at, kNow + 100);
  EXPECT_EQ(store_->FindSession("h1", kNow + 100).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->FindSession("nope", kNow).status().code(), ErrorCode::kNotFound);

  EXPECT_EQ(*store_->DeleteExpiredSessions(kNow + 50), 1);  // h3
  EXPECT_EQ(store_->FindSession("h3", kNow).status().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(store_->DeleteAdmin(acme_.id, viewer.id).ok());
  EXPECT_EQ(store_->FindSession("h2", kNow).status().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(store_->DeleteSession("h1").ok());
  EXPECT_EQ(store_->FindSession("h1", kNow).status().code(), ErrorCode::kNotFound);
}

TEST_P(StoreContractTest, FindingsKeepTheRowsAndTheAddUpdatePlanUntilTheJobRuns) {
  User anna = Add(acme_, "anna@acme.example");
  PlannedUpsert update{anna, anna.updated_at, 2};
  update.user.first_name = "Annie";
  update.user.groups = {"Sales", "Berlin"};
  User fresh;
  fresh.email = fresh.email_key = "new@acme.example";
  fresh.first_name = "New";
  fresh.last_name = "Person";
  fresh.language = "de";
  fresh.active = false;
  const std::vector<PlannedUpsert> upserts = {update, {fresh, 0, 3}};
  const std::vector<RowChunk> rows = {{2, std::string("\x00\x01\x02", 3)}, {70'000, "rows"}};
  ImportJob job;
  job.org_id = acme_.id;
  job.mode = ImportMode::kAddUpdate;
  job = store_->CreateJob(job).value();
  job.state = JobState::kValidated;
  Result<ImportJob> saved = store_->SaveFindings(job, {{}, {}, upserts, rows});
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();

  Result<std::vector<PlannedUpsert>> loaded = store_->LoadUpserts(acme_.id, job.id);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ((*loaded)[0].user.id, anna.id);
  EXPECT_EQ((*loaded)[0].user.first_name, "Annie");
  EXPECT_THAT((*loaded)[0].user.groups, ElementsAre("Sales", "Berlin"));
  EXPECT_EQ((*loaded)[0].expected_updated_at, anna.updated_at);
  EXPECT_EQ((*loaded)[1].user.id, 0);
  EXPECT_EQ((*loaded)[1].user.email, "new@acme.example");
  EXPECT_EQ((*loaded)[1].user.language, "de");
  EXPECT_FALSE((*loaded)[1].user.active);
  EXPECT_EQ((*loaded)[1].row, 3);
  Result<std::vector<RowChunk>> kept = store_->LoadRows(acme_.id, job.id);
  ASSERT_TRUE(kept.ok());
  ASSERT_EQ(kept->size(), 2u);
  EXPECT_EQ((*kept)[0].data, std::string("\x00\x01\x02", 3));
  EXPECT_EQ((*kept)[1].first_row, 70'000);
  EXPECT_EQ(store_->LoadRows(globex_.id, job.id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->LoadUpserts(globex_.id, job.id).status().code(), ErrorCode::kNotFound);

  // The execution's transaction takes them (and the head) with it.
  ASSERT_TRUE(store_->ClaimJob(acme_.id, job.id, saved->version, "w").ok());
  UpsertRequest request{acme_.id, job.id, "w", *loaded, {"t", "import.add_update", "{}"}, {}};
  Result<UpsertOutcome> outcome = store_->ExecuteUpsert(request);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(outcome->created, 1);
  EXPECT_EQ(outcome->updated, 1);
  EXPECT_TRUE(store_->LoadRows(acme_.id, job.id)->empty());
  EXPECT_TRUE(store_->LoadUpserts(acme_.id, job.id)->empty());
  EXPECT_EQ(store_->GetJob(acme_.id, job.id)->head, "");
}

TEST_P(StoreContractTest, AConfirmedJobIsQueuedOnceWithWhoConfirmedIt) {
  ImportJob job = ValidatedJob(*store_, acme_);
  ASSERT_TRUE(
      store_
          ->EnqueueJob(acme_.id, job.id, job.version, /*delete_elearning=*/true, "ann@acme.example")
          .ok());
  ImportJob queued = *store_->GetJob(acme_.id, job.id);
  EXPECT_EQ(queued.state, JobState::kQueued);
  EXPECT_TRUE(queued.delete_elearning);
  EXPECT_EQ(queued.confirmed_by, "ann@acme.example");
  EXPECT_EQ(queued.queued_at, kNow);
  EXPECT_EQ(queued.version, job.version + 1);
  EXPECT_EQ(store_->EnqueueJob(acme_.id, job.id, queued.version, false, "bob@acme.example").code(),
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(store_->GetJob(acme_.id, job.id)->confirmed_by, "ann@acme.example");
  // A queued job is not the wizard's any more, nor can it be claimed directly.
  EXPECT_EQ(store_->SaveJob(queued).status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(store_->ClaimJob(acme_.id, job.id, queued.version, "w").code(),
            ErrorCode::kFailedPrecondition);
  // Another organization's job cannot be queued by id.
  ImportJob other = ValidatedJob(*store_, acme_);
  EXPECT_EQ(store_->EnqueueJob(globex_.id, other.id, other.version, false, "x").code(),
            ErrorCode::kNotFound);
  ImportJob unchecked = ValidatedJob(*store_, acme_);
  unchecked.state = JobState::kMapped;
  Result<ImportJob> mapped = store_->SaveJob(unchecked);
  ASSERT_TRUE(mapped.ok()) << mapped.status().ToString();
  EXPECT_EQ(store_->EnqueueJob(acme_.id, unchecked.id, mapped->version, false, "x").code(),
            ErrorCode::kFailedPrecondition);
}

TEST_P(StoreContractTest, EveryWriteOfAJobIsCompareAndSetOnItsVersion) {
  std::vector<ImportIssue> issues = {
      {2, "E-Mail", "x", IssueCode::kInvalidEmail, Severity::kError, "bad", std::nullopt}};
  ImportJob job = ValidatedJob(*store_, acme_, {}, issues);
  EXPECT_EQ(job.version, 2);  // created, then its findings saved

  // Two writers read version 2; the first one's write wins, the second one's is refused and
  // changes nothing (not the job, nor its issues).
  ImportJob first = job;
  first.sheet = "Leavers";
  Result<ImportJob> saved = store_->SaveJob(first);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(saved->version, 3);
  EXPECT_EQ(saved->sheet, "Leavers");
  ImportJob second = job;
  second.header_row = 4;
  second.state = JobState::kMapped;
  Result<ImportJob> stale = store_->SaveJob(second);
  EXPECT_EQ(stale.status().code(), ErrorCode::kAborted);
  EXPECT_THAT(stale.status().message(),
              ::testing::HasSubstr("version 2 was read, it is at version 3 now"));
  Result<ImportJob> stale_findings = store_->SaveFindings(second, {});
  EXPECT_EQ(stale_findings.status().code(), ErrorCode::kAborted);
  ImportJob now = *store_->GetJob(acme_.id, job.id);
  EXPECT_EQ(now.version, 3);
  EXPECT_EQ(now.header_row, 1);
  EXPECT_EQ(now.state, JobState::kValidated);
  EXPECT_THAT(*store_->ListIssues(acme_.id, job.id, 0, 10), SizeIs(1));

  // Confirming and claiming compare too: the admin confirms what they saw.
  EXPECT_EQ(store_->EnqueueJob(acme_.id, job.id, job.version, false, "ann").code(),
            ErrorCode::kAborted);
  EXPECT_EQ(store_->ClaimJob(acme_.id, job.id, job.version, "w").code(), ErrorCode::kAborted);
  EXPECT_EQ(store_->GetJob(acme_.id, job.id)->state, JobState::kValidated);
  // Another organization's job looks nonexistent to a compare-and-set write as well.
  ImportJob foreign = now;
  foreign.org_id = globex_.id;
  EXPECT_EQ(store_->SaveJob(foreign).status().code(), ErrorCode::kNotFound);
}

TEST_P(StoreContractTest, APlanNotMadeFromTheJobsFileAndSettingsNeverRuns) {
  User anna = Add(acme_, "anna@acme.example");
  std::vector<PlannedDeletion> plan = {{anna.id, KeyHash(anna.email_key), 2, {}}};
  ImportJob job = ValidatedJob(*store_, acme_, plan);
  // A writer changes what the plan was made from and leaves the job validated (a bug the
  // basis guards against): neither confirming nor claiming it works.
  for (auto change : std::vector<std::function<void(ImportJob&)>>{
           [](ImportJob& j) {
             j.mapping = {{"email", "Mail"}};
           },
           [](ImportJob& j) { j.file_sha256 = "1"; },
           [](ImportJob& j) { j.decisions = "{\"excluded\":[2]}"; }}) {
    ImportJob changed = *store_->GetJob(acme_.id, job.id);
    ImportJob original = changed;
    change(changed);
    Result<ImportJob> saved = store_->SaveJob(changed);
    ASSERT_TRUE(saved.ok()) << saved.status().ToString();
    Status queued = store_->EnqueueJob(acme_.id, job.id, saved->version, false, "ann");
    EXPECT_EQ(queued.code(), ErrorCode::kFailedPrecondition);
    EXPECT_THAT(queued.message(), ::testing::HasSubstr("not made from its current file"));
    EXPECT_EQ(store_->ClaimJob(acme_.id, job.id, saved->version, "w").code(),
              ErrorCode::kFailedPrecondition);
    original.version = saved->version;
    ASSERT_TRUE(store_->SaveJob(original).ok());
  }
  EXPECT_TRUE(store_->GetUser(acme_.id, anna.id).ok());
  // Made from them again, it runs.
  ImportJob current = *store_->GetJob(acme_.id, job.id);
  EXPECT_TRUE(store_->EnqueueJob(acme_.id, job.id, current.version, false, "ann").ok());
}

TEST_P(StoreContractTest, ChecksAreClaimedOnceOldestFirstAndAStaleCheckIsRefused) {
  EXPECT_FALSE(store_->ClaimNextCheck("w1")->has_value());
  ImportJob older = ValidatedJob(*store_, acme_);
  ImportJob newer = ValidatedJob(*store_, globex_);
  newer.state = JobState::kChecking;
  clock_.Set(kNow + 1);
  ASSERT_TRUE(store_->SaveJob(newer).ok());
  older.state = JobState::kChecking;
  clock_.Set(kNow + 2);
  ASSERT_TRUE(store_->SaveJob(older).ok());

  Result<std::optional<ImportJob>> first = store_->ClaimNextCheck("w1");
  ASSERT_TRUE(first.ok() && first->has_value()) << first.status().ToString();
  EXPECT_EQ((*first)->id, newer.id);  // asked for first
  EXPECT_EQ((*first)->worker, "w1");
  Result<std::optional<ImportJob>> second = store_->ClaimNextCheck("w2");
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->id, older.id);
  EXPECT_FALSE(store_->ClaimNextCheck("w3")->has_value());  // each check is claimed once

  // The first check finishes: its findings are saved and the job is nobody's.
  ImportJob checked = **first;
  checked.state = JobState::kMapped;
  checked.counts.errors = 1;
  std::vector<ImportIssue> issues = {
      {2, "E-Mail", "x", IssueCode::kInvalidEmail, Severity::kError, "bad", std::nullopt}};
  Result<ImportJob> saved = store_->SaveFindings(checked, {issues, {}, {}, {}});
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(saved->state, JobState::kMapped);
  EXPECT_EQ(saved->worker, "");
  // The second job changes while its check runs (a new mapping, a corrected file): the
  // check's findings are refused and the job, checking again, waits for a worker.
  ImportJob remapped = *store_->GetJob(acme_.id, older.id);
  remapped.mapping = {{"email", "Mail"}};
  ASSERT_TRUE(store_->SaveJob(remapped).ok());
  ImportJob stale = **second;
  stale.state = JobState::kValidated;
  EXPECT_EQ(store_->SaveFindings(stale, {}).status().code(), ErrorCode::kAborted);
  ImportJob waiting = *store_->GetJob(acme_.id, older.id);
  EXPECT_EQ(waiting.state, JobState::kChecking);
  EXPECT_EQ(waiting.mapping, (std::map<std::string, std::string>{{"email", "Mail"}}));
  Result<std::optional<ImportJob>> again = store_->ClaimNextCheck("w3");
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->id, older.id);
}

TEST_P(StoreContractTest, TheQueueGivesTheOldestJobAndOneJobPerOrganizationAtATime) {
  ImportJob acme_first = ValidatedJob(*store_, acme_);
  ImportJob acme_second = ValidatedJob(*store_, acme_);
  ImportJob globex_job = ValidatedJob(*store_, globex_);
  EXPECT_FALSE(store_->ClaimNextJob("w1")->has_value());  // validated is not queued
  ASSERT_TRUE(store_->EnqueueJob(acme_.id, acme_second.id, acme_second.version, false, "a").ok());
  clock_.Set(kNow + 1);
  ASSERT_TRUE(store_->EnqueueJob(acme_.id, acme_first.id, acme_first.version, false, "a").ok());
  clock_.Set(kNow + 2);
  ASSERT_TRUE(store_->EnqueueJob(globex_.id, globex_job.id, globex_job.version, false, "g").ok());

  Result<std::optional<ImportJob>> first = store_->ClaimNextJob("w1");
  ASSERT_TRUE(first.ok() && first->has_value()) << first.status().ToString();
  EXPECT_EQ((*first)->id, acme_second.id);  // queued first
  EXPECT_EQ((*first)->state, JobState::kRunning);
  EXPECT_EQ((*first)->worker, "w1");
  // Acme runs one already: the next is Globex's, then nothing until Acme's run ends.
  Result<std::optional<ImportJob>> second = store_->ClaimNextJob("w2");
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->id, globex_job.id);
  EXPECT_FALSE(store_->ClaimNextJob("w2")->has_value());
  ASSERT_TRUE(store_->InterruptJob(acme_.id, acme_second.id, "stopped").ok());
  Result<std::optional<ImportJob>> third = store_->ClaimNextJob("w2");
  ASSERT_TRUE(third.ok() && third->has_value());
  EXPECT_EQ((*third)->id, acme_first.id);
  EXPECT_EQ((*third)->confirmed_by, "a");
}

TEST_P(StoreContractTest, ProgressIsPublishedForARunningJobOrCheckOnly) {
  ImportJob job = ValidatedJob(*store_, acme_);
  ASSERT_TRUE(store_->SaveProgress(acme_.id, job.id, 5, 10).ok());
  EXPECT_EQ(store_->GetJob(acme_.id, job.id)->progress_done, 0);
  ASSERT_TRUE(store_->ClaimJob(acme_.id, job.id, job.version, "w").ok());
  ASSERT_TRUE(store_->SaveProgress(acme_.id, job.id, 5, -1).ok());
  ASSERT_TRUE(store_->SaveProgress(globex_.id, job.id, 9, 9).ok());  // not Globex's: ignored
  ImportJob running = *store_->GetJob(acme_.id, job.id);
  EXPECT_EQ(running.progress_done, 5);
  EXPECT_EQ(running.progress_total, -1);
  EXPECT_EQ(running.updated_at, kNow);  // progress is not a change of the job
  ImportJob checking = ValidatedJob(*store_, acme_);
  checking.state = JobState::kChecking;
  ASSERT_TRUE(store_->SaveJob(checking).ok());
  ImportJob claimed = **store_->ClaimNextCheck("w");
  ASSERT_TRUE(store_->SaveProgress(acme_.id, checking.id, 7, 70).ok());
  ImportJob progressed = *store_->GetJob(acme_.id, checking.id);
  EXPECT_EQ(progressed.progress_done, 7);
  EXPECT_EQ(progressed.progress_total, 70);
  EXPECT_EQ(progressed.version, claimed.version);  // nor a new version
}

TEST_P(StoreContractTest, RecoveryInterruptsTheJobsOfGoneWorkersOnly) {
  ImportJob gone = ValidatedJob(*store_, acme_);
  ImportJob alive = ValidatedJob(*store_, globex_);
  ASSERT_TRUE(store_->ClaimJob(acme_.id, gone.id, gone.version, "gone").ok());
  ASSERT_TRUE(store_->ClaimJob(globex_.id, alive.id, alive.version, "alive").ok());
  ImportJob gone_check = ValidatedJob(*store_, acme_);
  gone_check.state = JobState::kChecking;
  ASSERT_TRUE(store_->SaveJob(gone_check).ok());
  ASSERT_TRUE(store_->ClaimNextCheck("gone").ok());
  Result<int64_t> recovered = store_->RecoverInterruptedJobs([](std::string_view worker) {
    return worker == "gone" ? WorkerLiveness::kGone : WorkerLiveness::kAlive;
  });
  ASSERT_TRUE(recovered.ok()) << recovered.status().ToString();
  EXPECT_EQ(*recovered, 2);
  ImportJob interrupted = *store_->GetJob(acme_.id, gone.id);
  EXPECT_EQ(interrupted.state, JobState::kInterrupted);
  EXPECT_EQ(store_->GetJob(globex_.id, alive.id)->state, JobState::kRunning);
  // The gone worker's check waits for another worker.
  ImportJob requeued = *store_->GetJob(acme_.id, gone_check.id);
  EXPECT_EQ(requeued.state, JobState::kChecking);
  EXPECT_EQ(requeued.worker, "");
  EXPECT_EQ((*store_->ClaimNextCheck("alive"))->id, gone_check.id);
  // An interrupted job can be confirmed again.
  EXPECT_TRUE(store_->EnqueueJob(acme_.id, gone.id, interrupted.version, false, "a").ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractTest, ::testing::ValuesIn(testing::StoreBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace roster
