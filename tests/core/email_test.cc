#include "core/email.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

namespace roster {
namespace {

constexpr size_t kMaxLabel = 63;

// A syntactically valid domain of exactly `length` octets ending in ".com" (length >= 6).
std::string DomainOfLength(size_t length) {
  const size_t body = length - 4;
  std::string domain;
  while (body - domain.size() > kMaxLabel) {
    const size_t label = std::min(kMaxLabel, body - domain.size() - 2);
    domain += std::string(label, 'd') + ".";
  }
  domain += std::string(body - domain.size(), 'e');
  return domain + ".com";
}

std::string Repeat(std::string_view piece, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

// ---------------------------------------------------------------------------------------
// Valid addresses: the exact address kept and the exact matching key.

struct ValidCase {
  std::string name;
  std::string input;
  std::string address;
  std::string key;
};

void PrintTo(const ValidCase& c, std::ostream* os) { *os << c.name << ": \"" << c.input << "\""; }

std::vector<ValidCase> ValidCases() {
  std::vector<ValidCase> cases = {
      {"Plain", "anna@example.com", "anna@example.com", "anna@example.com"},
      {"MixedCaseKeepsAddress", "Anna.Schmidt@Example.COM", "Anna.Schmidt@Example.COM",
       "anna.schmidt@example.com"},
      {"PlusAddressingKept", "Anna+News@example.com", "Anna+News@example.com",
       "anna+news@example.com"},
      {"AllAtextCharacters", "!#$%&'*+-/=?^_`{|}~@example.com", "!#$%&'*+-/=?^_`{|}~@example.com",
       "!#$%&'*+-/=?^_`{|}~@example.com"},
      {"DigitsOnlyLocalPart", "12345@example.com", "12345@example.com", "12345@example.com"},
      {"Shortest", "a@b.co", "a@b.co", "a@b.co"},
      {"Subdomains", "anna@Mail.Sub.Example.co.uk", "anna@Mail.Sub.Example.co.uk",
       "anna@mail.sub.example.co.uk"},
      {"NumericLabelNotLast", "anna@123.example.com", "anna@123.example.com",
       "anna@123.example.com"},
      {"HyphenInsideLabel", "anna@my-company.example", "anna@my-company.example",
       "anna@my-company.example"},
      // Only "xn--" is special; other double hyphens in ASCII labels exist in the wild.
      {"AsciiDoubleHyphen", "anna@ab--cd.example", "anna@ab--cd.example", "anna@ab--cd.example"},
      {"TrimSpaces", "  anna@example.com  ", "anna@example.com", "anna@example.com"},
      {"TrimTabAndLineBreak", "\tanna@example.com\r\n", "anna@example.com", "anna@example.com"},
      {"TrimTrailingNbspFromExcel", "Anna@Example.com\u00A0", "Anna@Example.com",
       "anna@example.com"},
      {"TrimNbspBothEnds", "\u00A0\u00A0anna@example.com\u00A0", "anna@example.com",
       "anna@example.com"},
      {"TrimIdeographicSpace", "\u3000anna@example.com\u3000", "anna@example.com",
       "anna@example.com"},
      {"TrimByteOrderMarkAndZeroWidthSpace", "\uFEFFanna@example.com\u200B", "anna@example.com",
       "anna@example.com"},
      {"TrimNarrowNbsp", "anna@example.com\u202F", "anna@example.com", "anna@example.com"},
      // Quoted local parts keep their quotes and are case-folded like any other.
      {"QuotedWithSpace", "\"John Doe\"@Example.com", "\"John Doe\"@Example.com",
       "\"john doe\"@example.com"},
      {"QuotedWithAt", "\"Anna@Home\"@example.com", "\"Anna@Home\"@example.com",
       "\"anna@home\"@example.com"},
      {"QuotedEscapedQuote", R"("John\"Doe"@example.com)", R"("John\"Doe"@example.com)",
       R"("john\"doe"@example.com)"},
      {"QuotedEscapedBackslash", R"("a\\b"@example.com)", R"("a\\b"@example.com)",
       R"("a\\b"@example.com)"},
      {"QuotedSpecials", "\"a,b(c)<d>\"@example.com", "\"a,b(c)<d>\"@example.com",
       "\"a,b(c)<d>\"@example.com"},
      {"QuotedDots", "\"anna..schmidt.\"@example.com", "\"anna..schmidt.\"@example.com",
       "\"anna..schmidt.\"@example.com"},
      {"QuotedNotRewrittenToUnquoted", "\"anna\"@example.com", "\"anna\"@example.com",
       "\"anna\"@example.com"},
      {"Umlauts", "Müller@Bücher.de", "Müller@Bücher.de", "müller@xn--bcher-kva.de"},
      {"NfdLocalPartBecomesNfc", "Mu\u0308ller@example.com", "M\u00FCller@example.com",
       "m\u00FCller@example.com"},
      {"NfdDomainBecomesNfc", "anna@Bu\u0308cher.de", "anna@B\u00FCcher.de",
       "anna@xn--bcher-kva.de"},
      {"UppercaseIdnDomain", "anna@BÜCHER.DE", "anna@BÜCHER.DE", "anna@xn--bcher-kva.de"},
      {"AccentedLocalAsciiDomain", "José@Example.com", "José@Example.com", "josé@example.com"},
      {"GermanName", "Jürgen.Müller@Example.de", "Jürgen.Müller@Example.de",
       "jürgen.müller@example.de"},
      {"Greek", "ΣΟΦΙΑ@example.gr", "ΣΟΦΙΑ@example.gr", "σοφια@example.gr"},
      // Case folding maps final sigma to sigma, so ΟΔΥΣΣΕΎΣ and Οδυσσεύς match.
      {"GreekFinalSigma", "Οδυσσεύς@example.gr", "Οδυσσεύς@example.gr", "οδυσσεύσ@example.gr"},
      {"Cyrillic", "Иван.Петров@Пример.рф", "Иван.Петров@Пример.рф",
       "иван.петров@xn--e1afmkfd.xn--p1ai"},
      {"Japanese", "山田@例え.jp", "山田@例え.jp", "山田@xn--r8jz45g.jp"},
      {"Chinese", "用户@例子.广告", "用户@例子.广告", "用户@xn--fsqu00a.xn--4rr70v"},
      {"Hebrew", "אבי@example.co.il", "אבי@example.co.il", "אבי@example.co.il"},
      // Full case folding: ß and ẞ fold to "ss" in the local part.
      {"SharpSLocalPart", "Straße@example.de", "Straße@example.de", "strasse@example.de"},
      {"CapitalSharpSLocalPart", "STRAẞE@example.de", "STRAẞE@example.de", "strasse@example.de"},
      // Nontransitional IDNA: faß.de is its own domain, not fass.de.
      {"SharpSDomainNontransitional", "anna@faß.de", "anna@faß.de", "anna@xn--fa-hia.de"},
      {"SharpSDomainAceForm", "anna@xn--fa-hia.de", "anna@xn--fa-hia.de", "anna@xn--fa-hia.de"},
      {"FassIsAnotherDomain", "anna@fass.de", "anna@fass.de", "anna@fass.de"},
      // Locale-free folding: İ becomes i + U+0307, so "İlker" does not match "ilker".
      {"TurkishDottedCapitalI", "İlker@example.com.tr", "İlker@example.com.tr",
       "i\u0307lker@example.com.tr"},
      {"TurkishDotlessSmallI", "ılker@example.com.tr", "ılker@example.com.tr",
       "ılker@example.com.tr"},
      {"TurkishCapitalI", "ILKER@example.com.tr", "ILKER@example.com.tr", "ilker@example.com.tr"},
      {"MicroSignFoldsToMu", "µ@example.com", "µ@example.com", "\u03BC@example.com"},
      {"LatinExtendedFold", "ŸVES@example.fr", "ŸVES@example.fr", "ÿves@example.fr"},
      {"AceLabelUppercase", "anna@XN--BCHER-KVA.de", "anna@XN--BCHER-KVA.de",
       "anna@xn--bcher-kva.de"},
      // Transitional fallback for a symbol domain that nontransitional IDNA refuses.
      {"TransitionalFallback", "anna@i❤.ws", "anna@i❤.ws", "anna@xn--i-7iq.ws"},
      {"TransitionalFallbackAceForm", "anna@xn--i-7iq.ws", "anna@xn--i-7iq.ws",
       "anna@xn--i-7iq.ws"},
      // UTS #46 mapping of the domain, as browsers and mail servers do.
      {"LigatureInDomainMapped", "anna@ﬁrma.de", "anna@ﬁrma.de", "anna@firma.de"},
  };
  const std::string local64(64, 'a');
  const std::string label63(kMaxLabel, 'l');
  const std::string domain189 = DomainOfLength(189);
  cases.push_back({"LocalPart64Octets", local64 + "@example.com", local64 + "@example.com",
                   local64 + "@example.com"});
  cases.push_back({"LocalPart64OctetsOfUmlauts", Repeat("Ü", 32) + "@example.com",
                   Repeat("Ü", 32) + "@example.com", Repeat("ü", 32) + "@example.com"});
  cases.push_back({"QuotedLocalPart64OctetsWithQuotes",
                   "\"" + std::string(62, 'Q') + "\"@example.com",
                   "\"" + std::string(62, 'Q') + "\"@example.com",
                   "\"" + std::string(62, 'q') + "\"@example.com"});
  cases.push_back({"Label63Octets", "anna@" + label63 + ".com", "anna@" + label63 + ".com",
                   "anna@" + label63 + ".com"});
  cases.push_back({"Address254Octets", local64 + "@" + domain189, local64 + "@" + domain189,
                   local64 + "@" + domain189});
  return cases;
}

class EmailValidTest : public testing::TestWithParam<ValidCase> {};

TEST_P(EmailValidTest, KeyIsExact) {
  const ValidCase& c = GetParam();
  const EmailCheck check = CheckEmail(c.input);
  EXPECT_EQ(check.problem, EmailProblem::kNone) << check.message;
  EXPECT_TRUE(check.ok());
  EXPECT_EQ(check.address, c.address);
  EXPECT_EQ(check.key, c.key);
  EXPECT_EQ(check.message, "");
  EXPECT_EQ(check.repaired, std::nullopt);
  EXPECT_EQ(EmailKey(c.input), c.key);
  // A key is a fixed point: normalizing it again changes nothing.
  EXPECT_EQ(EmailKey(c.key), c.key);
}

INSTANTIATE_TEST_SUITE_P(EmailTest, EmailValidTest, testing::ValuesIn(ValidCases()),
                         [](const testing::TestParamInfo<ValidCase>& info) {
                           return info.param.name;
                         });

// ---------------------------------------------------------------------------------------
// Invalid addresses: the exact problem, a message naming what is needed, the exact repair.

struct InvalidCase {
  std::string name;
  std::string input;
  EmailProblem problem;
  std::string message_contains;
  std::optional<std::string> repaired;
};

void PrintTo(const InvalidCase& c, std::ostream* os) { *os << c.name << ": \"" << c.input << "\""; }

std::vector<InvalidCase> InvalidCases() {
  using P = EmailProblem;
  const std::optional<std::string> none;
  std::vector<InvalidCase> cases = {
      {"Empty", "", P::kEmpty, "name@company.com", none},
      {"OnlyWhiteSpace", " \t\u00A0\u3000 ", P::kEmpty, "name@company.com", none},
      {"InvalidByte",
       "\xFF"
       "anna@example.com",
       P::kInvalidUtf8, "UTF-8", none},
      {"TruncatedSequence", "anna@exa\xC3", P::kInvalidUtf8, "UTF-8", none},
      {"OverlongSlash", "anna\xC0\xAF@example.com", P::kInvalidUtf8, "UTF-8", none},
      {"Surrogate", "anna\xED\xA0\x80@example.com", P::kInvalidUtf8, "UTF-8", none},
      {"Latin1NotUtf8", "M\xFCller@example.com", P::kInvalidUtf8, "UTF-8", none},
      {"MailtoPrefix", "mailto:anna@example.com", P::kMailtoPrefix, "mailto:", "anna@example.com"},
      {"MailtoUppercaseWithSpace", "MAILTO: Anna@Example.com", P::kMailtoPrefix,
       "mailto:", "Anna@Example.com"},
      {"MailtoAlone", "mailto:", P::kMailtoPrefix, "mailto:", none},
      {"DisplayName", "Anna Schmidt <anna@example.com>", P::kDisplayName, "only the address",
       "anna@example.com"},
      {"DisplayNameQuoted", "\"Schmidt, Anna\" <anna@example.com>", P::kDisplayName,
       "only the address", "anna@example.com"},
      {"AngleBracketsOnly", "<anna@example.com>", P::kDisplayName, "only the address",
       "anna@example.com"},
      {"DisplayNameWithBadAddress", "Anna <anna@example>", P::kDisplayName, "only the address",
       none},
      {"SpaceBeforeAt", "anna @example.com", P::kWhitespace, "space", "anna@example.com"},
      {"SpacesAroundAtAndDots", "anna . schmidt @ example . com", P::kWhitespace, "space",
       "anna.schmidt@example.com"},
      {"NbspBeforeAt", "anna\u00A0@example.com", P::kWhitespace, "non-breaking space",
       "anna@example.com"},
      {"TabBeforeAt", "anna\t@example.com", P::kWhitespace, "tab", "anna@example.com"},
      {"LineBreakInside", "anna@example.\ncom", P::kWhitespace, "line break", "anna@example.com"},
      {"ZeroWidthSpaceInside", "an\u200Bna@example.com", P::kWhitespace, "invisible",
       "anna@example.com"},
      {"ControlCharacterInside", "anna\x01@example.com", P::kWhitespace, "control character",
       "anna@example.com"},
      {"LeftToRightMarkInside", "anna@\u200Eexample.com", P::kWhitespace, "invisible",
       "anna@example.com"},
      // A space between two letters could stand for a dot, an underscore or a name: no guess.
      {"SpaceBetweenLettersNotRepaired", "anna schmidt@example.com", P::kWhitespace, "space", none},
      {"NameBeforeAddressNotRepaired", "Anna Schmidt anna@example.com", P::kWhitespace, "space",
       none},
      {"SpaceInsideDomainLabel", "anna@exam ple.com", P::kWhitespace, "space", none},
      {"TabInsideQuotes", "\"john\tdoe\"@example.com", P::kWhitespace, "tab", none},
      {"SpaceAfterClosingQuote", "\"john doe\" @example.com", P::kWhitespace, "space",
       "\"john doe\"@example.com"},
      {"MissingAt", "anna.example.com", P::kMissingAt, "name@company.com", none},
      {"NameInsteadOfAddress", "Anna Schmidt", P::kMissingAt, "@", none},
      // Full-width ＠ is not an @: refused, with a repair to plain ASCII.
      {"FullWidthAt", "anna＠example.com", P::kMissingAt, "＠", "anna@example.com"},
      {"FullWidthEverything", "ａｎｎａ＠ｅｘａｍｐｌｅ．ｃｏｍ", P::kMissingAt, "＠",
       "anna@example.com"},
      {"DoubledAt", "anna@@example.com", P::kMultipleAt, "only one @", "anna@example.com"},
      {"TwoAts", "anna@x@example.com", P::kMultipleAt, "exactly one @", none},
      {"TwoAddressesInOneCell", "anna@example.com, bob@example.com", P::kMultipleAt, "own row",
       none},
      {"DoubledAtAfterQuotedLocal", "\"a b\"@@example.com", P::kMultipleAt, "only one @",
       "\"a b\"@example.com"},
      {"EmptyLocalPart", "@example.com", P::kEmptyLocalPart, "before the @", none},
      {"EmptyQuotedLocalPart", "\"\"@example.com", P::kEmptyLocalPart, "before the @", none},
      {"EmptyDomain", "anna@", P::kEmptyDomain, "domain", none},
      {"EmptyDomainAfterSpace", "anna @", P::kEmptyDomain, "domain", none},
      // A dot at either end of the local part may stand for a lost name part: no repair.
      {"LeadingDotLocal", ".anna@example.com", P::kLeadingDot, "dot", none},
      {"TrailingDotLocal", "anna.@example.com", P::kTrailingDot, "dot", none},
      {"ConsecutiveDotsLocal", "anna..schmidt@example.com", P::kConsecutiveDots, "single dot",
       "anna.schmidt@example.com"},
      {"LeadingDotDomain", "anna@.example.com", P::kLeadingDot, "Remove the dot",
       "anna@example.com"},
      {"TrailingDotDomain", "anna@example.com.", P::kTrailingDot, "Remove the dot",
       "anna@example.com"},
      {"TrailingDotsDomain", "anna@example.com..", P::kTrailingDot, "Remove the dot",
       "anna@example.com"},
      {"ConsecutiveDotsDomain", "anna@example..com", P::kConsecutiveDots, "single dot",
       "anna@example.com"},
      {"OnlyDotDomain", "anna@.", P::kLeadingDot, "dot", none},
      {"CommaInLocalPart", "anna,s@example.com", P::kInvalidCharacter, "comma", none},
      {"ParenthesisInLocalPart", "anna(s)@example.com", P::kInvalidCharacter, "parenthesis", none},
      {"ColonInLocalPart", "anna:s@example.com", P::kInvalidCharacter, "colon", none},
      {"BackslashUnquoted", "anna\\s@example.com", P::kInvalidCharacter, "backslash", none},
      {"QuoteInsideUnquoted", "anna\"s@example.com", P::kInvalidCharacter, "quotation mark", none},
      {"TextAfterClosingQuote", "\"john\"doe@example.com", P::kInvalidCharacter,
       "closing quotation mark", none},
      {"WholeAddressQuoted", "\"anna@example.com\"", P::kInvalidCharacter,
       "Remove the quotation marks", "anna@example.com"},
      {"QuotedWithoutDomain", "\"anna\"", P::kMissingAt, "@", none},
      {"BackslashBeforeNonAscii", "\"jo\\é\"@example.com", P::kInvalidCharacter, "backslash", none},
      {"FullWidthLocalPart", "ａｎｎａ@example.com", P::kInvalidCharacter, "full-width",
       "anna@example.com"},
      {"UnclosedQuote", "\"anna@example.com", P::kUnclosedQuote, "quotation mark",
       "anna@example.com"},
      {"UnclosedQuoteEscaped", R"("anna\"@example.com)", P::kUnclosedQuote, "quotation mark", none},
      {"LeadingHyphenLabel", "anna@-example.com", P::kInvalidDomainLabel, "hyphen", none},
      {"TrailingHyphenLabel", "anna@example-.com", P::kInvalidDomainLabel, "hyphen", none},
      {"UnderscoreInDomain", "anna@exa_mple.com", P::kInvalidDomainLabel, "underscore", none},
      {"ExclamationInDomain", "anna@exa!mple.com", P::kInvalidDomainLabel, "letters, digits", none},
      {"CommaInsteadOfDot", "anna@example,com", P::kInvalidDomainLabel, "Use a dot",
       "anna@example.com"},
      {"TrailingCommaFromList", "anna@example.com,", P::kInvalidDomainLabel, "comma",
       "anna@example.com"},
      {"TrailingSemicolonFromList", "anna@example.com;", P::kInvalidDomainLabel, "semicolon",
       "anna@example.com"},
      {"SemicolonInsideDomain", "anna@exa;mple.com", P::kInvalidDomainLabel, "semicolon", none},
      // IP literals are refused: company addresses use domain names.
      {"IpLiteral", "anna@[192.0.2.1]", P::kInvalidDomainLabel, "domain name", none},
      {"Ipv6Literal", "anna@[IPv6:2001:db8::1]", P::kInvalidDomainLabel, "domain name", none},
      {"BareIpAddress", "anna@192.0.2.1", P::kInvalidDomainLabel, "domain name", none},
      {"BadAceLabel", "anna@xn--abc.com", P::kInvalidDomainLabel, "spelling", none},
      {"EmptyAceLabel", "anna@xn--.com", P::kInvalidDomainLabel, "spelling", none},
      {"IdnDoubleHyphen", "anna@ab--ü.de", P::kInvalidDomainLabel, "spelling", none},
      {"IdnLeadingCombiningMark", "anna@\u0301a.de", P::kInvalidDomainLabel, "spelling", none},
      {"IdnMapsToUnderscore", "anna@a\uFE4Db.com", P::kInvalidDomainLabel, "spelling", none},
      // No transitional fallback for deviation characters: it would drop the joiner or
      // turn ß into ss.
      {"IdnJoinerOutOfContext", "anna@a\u200Db.com", P::kInvalidDomainLabel, "spelling", none},
      {"IdnSharpSWithSymbol", "anna@faß❤.de", P::kInvalidDomainLabel, "spelling", none},
      {"IdnWithUnderscore", "anna@bü_cher.de", P::kInvalidDomainLabel, "underscore", none},
      {"IdnLeadingHyphen", "anna@-bücher.de", P::kInvalidDomainLabel, "hyphen", none},
      {"FullWidthDomain", "anna@ｅｘａｍｐｌｅ.com", P::kInvalidDomainLabel, "full-width",
       "anna@example.com"},
      {"IdeographicFullStop", "anna@example。com", P::kInvalidDomainLabel, "full-width",
       "anna@example.com"},
      {"DomainWithoutDot", "anna@localhost", P::kDomainWithoutDot, "company.com", none},
      {"IdnDomainWithoutDot", "anna@bücher", P::kDomainWithoutDot, "company.com", none},
      // Repairs chain: each step is one of the plain repairs above.
      {"ChainMailtoSpaceTrailingDot", "mailto:anna @example.com.", P::kMailtoPrefix,
       "mailto:", "anna@example.com"},
      {"ChainDoubledAtAndComma", "anna@@example,com", P::kMultipleAt, "only one @",
       "anna@example.com"},
      {"ChainDisplayNameFullWidthAt", "Anna <anna＠example.com>", P::kDisplayName,
       "only the address", "anna@example.com"},
  };
  const std::string local64(64, 'a');
  cases.push_back({"LocalPart65Octets", std::string(65, 'a') + "@example.com", P::kLocalPartTooLong,
                   "64", none});
  cases.push_back({"LocalPart65OctetsOfUmlauts", Repeat("ü", 32) + "a@example.com",
                   P::kLocalPartTooLong, "64", none});
  cases.push_back({"QuotedLocalPart65OctetsWithQuotes",
                   "\"" + std::string(63, 'q') + "\"@example.com", P::kLocalPartTooLong, "64",
                   none});
  cases.push_back({"Label64Octets", "anna@" + std::string(64, 'l') + ".com", P::kInvalidDomainLabel,
                   "63", none});
  cases.push_back({"IdnLabelTooLongInAsciiForm", "anna@" + Repeat("ü", 60) + ".de",
                   P::kInvalidDomainLabel, "63", none});
  cases.push_back({"Domain256Octets", "a@" + DomainOfLength(256), P::kDomainTooLong, "255", none});
  cases.push_back(
      {"Address255Octets", local64 + "@" + DomainOfLength(190), P::kAddressTooLong, "254", none});
  return cases;
}

class EmailInvalidTest : public testing::TestWithParam<InvalidCase> {};

TEST_P(EmailInvalidTest, ProblemMessageAndRepairAreExact) {
  const InvalidCase& c = GetParam();
  const EmailCheck check = CheckEmail(c.input);
  EXPECT_EQ(check.problem, c.problem) << EmailProblemName(check.problem) << ": " << check.message;
  EXPECT_FALSE(check.ok());
  EXPECT_EQ(check.address, "");
  EXPECT_EQ(check.key, "");
  EXPECT_NE(check.message.find(c.message_contains), std::string::npos) << check.message;
  EXPECT_EQ(check.repaired, c.repaired);
  EXPECT_EQ(EmailKey(c.input), std::nullopt);
  if (check.repaired) {
    // An offered repair is itself a valid address, written as the repair says.
    const EmailCheck again = CheckEmail(*check.repaired);
    EXPECT_TRUE(again.ok()) << EmailProblemName(again.problem) << ": " << again.message;
    EXPECT_EQ(again.address, *check.repaired);
  }
}

INSTANTIATE_TEST_SUITE_P(EmailTest, EmailInvalidTest, testing::ValuesIn(InvalidCases()),
                         [](const testing::TestParamInfo<InvalidCase>& info) {
                           return info.param.name;
                         });

// Messages are for a company admin: whole sentences that end with a full stop and are short.
TEST(EmailTest, MessagesAreShortSentences) {
  for (const InvalidCase& c : InvalidCases()) {
    const std::string message = CheckEmail(c.input).message;
    SCOPED_TRACE(c.name + ": " + message);
    ASSERT_FALSE(message.empty());
    EXPECT_EQ(message.back(), '.');
    EXPECT_LE(message.size(), 260u);
  }
}

TEST(EmailTest, LongInputIsQuotedShortened) {
  const std::string input = std::string(5000, 'a') + ",b@example.com";
  const EmailCheck check = CheckEmail(input);
  EXPECT_EQ(check.problem, EmailProblem::kInvalidCharacter);
  EXPECT_NE(check.message.find("…"), std::string::npos) << check.message;
  EXPECT_LT(check.message.size(), 300u);
}

// ---------------------------------------------------------------------------------------
// The fast paths must agree with utf8proc.

// Below U+0100 the local part is folded by hand; it must equal utf8proc's folding, which the
// key uses as soon as a character at or above U+0100 (here "ā") is in the address.
TEST(EmailTest, Latin1FoldingMatchesUtf8proc) {
  const std::string slow_suffix = "ā@example.com";
  int compared = 0;
  for (char32_t c = 0x21; c <= 0xFF; ++c) {
    if (c >= 0x7F && c <= 0xA0) continue;  // control characters and NBSP
    if (c == 0xAD) continue;               // soft hyphen: invisible
    std::string letter;
    if (c < 0x80) {
      letter = std::string(1, static_cast<char>(c));
    } else {
      letter = {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
    }
    const std::optional<std::string> slow = EmailKey("x" + letter + "y" + slow_suffix);
    if (!slow) continue;  // not allowed in a local part, e.g. ',' or '@'
    SCOPED_TRACE(letter);
    const std::string folded = slow->substr(0, slow->size() - slow_suffix.size());
    EXPECT_EQ(EmailKey("x" + letter + "y@example.com"), folded + "@example.com");
    ++compared;
  }
  // Letters, digits, 19 other atext characters and the dot; U+00A1..U+00FF less the soft hyphen.
  EXPECT_EQ(compared, 82 + 94);
}

// Below U+0300 NFC is skipped; utf8proc (used once "Ѐ" U+0400 is present) must agree.
TEST(EmailTest, TextBelowU0300IsAlreadyNfc) {
  for (char32_t c = 0xA1; c < 0x300; ++c) {
    if (c == 0xAD) continue;
    std::string letter = {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
    const std::string input = "x" + letter + letter + "Ѐ@example.com";
    SCOPED_TRACE(input);
    EXPECT_EQ(CheckEmail(input).address, input);
  }
}

// ---------------------------------------------------------------------------------------
// EmailKey, NormalizeDomain, KeyDomain, EmailProblemName.

TEST(EmailTest, PlusAddressIsItsOwnKey) {
  EXPECT_EQ(EmailKey("anna+news@x.com"), "anna+news@x.com");
  EXPECT_NE(EmailKey("anna+news@x.com"), EmailKey("anna@x.com"));
}

TEST(EmailTest, UnicodeAndAceFormsOfADomainShareTheKey) {
  EXPECT_EQ(EmailKey("anna@Bücher.de"), EmailKey("anna@xn--bcher-kva.de"));
  EXPECT_EQ(EmailKey("anna@faß.de"), EmailKey("ANNA@XN--FA-HIA.DE"));
  EXPECT_NE(EmailKey("anna@faß.de"), EmailKey("anna@fass.de"));
}

TEST(EmailTest, EmailKeyOfInvalidIsNothing) {
  EXPECT_EQ(EmailKey("anna"), std::nullopt);
  EXPECT_EQ(EmailKey("mailto:anna@example.com"), std::nullopt);
  EXPECT_EQ(EmailKey(""), std::nullopt);
}

// Keys are computed on many threads at once in an import; the IDN label cache is per thread.
TEST(EmailTest, KeysAreStableAcrossThreads) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"a@Bücher.de", "a@xn--bcher-kva.de"},
      {"b@faß.de", "b@xn--fa-hia.de"},
      {"c@Пример.рф", "c@xn--e1afmkfd.xn--p1ai"},
      {"d@例え.jp", "d@xn--r8jz45g.jp"},
      {"e@例子.广告", "e@xn--fsqu00a.xn--4rr70v"},
      {"f@i❤.ws", "f@xn--i-7iq.ws"},
      {"g@ÄÖÜ.de", "g@xn--4ca0bs.de"},
      {"h@müller.example", "h@xn--mller-kva.example"},
      {"i@ελληνικά.gr", "i@xn--hxargifdar.gr"},
      {"j@中国.cn", "j@xn--fiqs8s.cn"},
  };
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&expected, &mismatches, t] {
      for (int round = 0; round < 50; ++round) {
        for (const auto& [input, key] : expected) {
          if (EmailKey(input) != key) ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

struct DomainCase {
  std::string name;
  std::string input;
  std::optional<std::string> normalized;
};

void PrintTo(const DomainCase& c, std::ostream* os) { *os << c.name << ": \"" << c.input << "\""; }

std::vector<DomainCase> DomainCases() {
  const std::optional<std::string> none;
  std::vector<DomainCase> cases = {
      {"LowerCase", "Example.COM", "example.com"},
      {"Trimmed", " example.com\u00A0", "example.com"},
      {"Idn", "Bücher.example", "xn--bcher-kva.example"},
      {"IdnNfd", "Bu\u0308cher.example", "xn--bcher-kva.example"},
      {"SharpS", "faß.de", "xn--fa-hia.de"},
      {"AceKept", "XN--BCHER-KVA.example", "xn--bcher-kva.example"},
      {"Subdomain", "mail.Example.co.uk", "mail.example.co.uk"},
      {"Empty", "", none},
      {"WhiteSpaceOnly", " \u00A0 ", none},
      {"NoDot", "example", none},
      {"Underscore", "exa_mple.com", none},
      {"TrailingDot", "example.com.", none},
      {"LeadingAt", "@example.com", none},
      {"WholeAddress", "anna@example.com", none},
      {"IpLiteral", "[192.0.2.1]", none},
      {"BareIp", "192.0.2.1", none},
      {"InvalidUtf8", "exa\xFFmple.com", none},
      {"BadAce", "xn--abc.com", none},
      {"FullWidth", "ｅｘａｍｐｌｅ.com", none},
  };
  cases.push_back({"Length255", DomainOfLength(255), DomainOfLength(255)});
  cases.push_back({"Length256", DomainOfLength(256), none});
  return cases;
}

class NormalizeDomainTest : public testing::TestWithParam<DomainCase> {};

TEST_P(NormalizeDomainTest, IsExact) {
  EXPECT_EQ(NormalizeDomain(GetParam().input), GetParam().normalized);
}

INSTANTIATE_TEST_SUITE_P(EmailTest, NormalizeDomainTest, testing::ValuesIn(DomainCases()),
                         [](const testing::TestParamInfo<DomainCase>& info) {
                           return info.param.name;
                         });

TEST(EmailTest, DomainHelpersAreExact) {
  EXPECT_EQ(DomainOfLength(189).size(), 189u);
  EXPECT_EQ(DomainOfLength(255).size(), 255u);
  EXPECT_EQ(DomainOfLength(256).size(), 256u);
}

TEST(EmailTest, KeyDomainIsTextAfterLastAt) {
  EXPECT_EQ(KeyDomain("anna@example.com"), "example.com");
  EXPECT_EQ(KeyDomain("müller@xn--bcher-kva.de"), "xn--bcher-kva.de");
  EXPECT_EQ(KeyDomain("\"a@b\"@example.com"), "example.com");
  EXPECT_EQ(KeyDomain("anna@"), "");
  EXPECT_EQ(KeyDomain("anna"), "");
  EXPECT_EQ(KeyDomain(""), "");
}

TEST(EmailTest, KeyDomainOfAKeyIsTheNormalizedDomain) {
  const std::optional<std::string> key = EmailKey("Anna@Bücher.Example");
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(KeyDomain(*key), NormalizeDomain("Bücher.Example"));
}

TEST(EmailTest, ProblemNamesAreStable) {
  using P = EmailProblem;
  const std::vector<std::pair<P, std::string_view>> names = {
      {P::kNone, "none"},
      {P::kEmpty, "empty"},
      {P::kInvalidUtf8, "invalid_utf8"},
      {P::kMailtoPrefix, "mailto_prefix"},
      {P::kDisplayName, "display_name"},
      {P::kWhitespace, "whitespace"},
      {P::kMissingAt, "missing_at"},
      {P::kMultipleAt, "multiple_at"},
      {P::kEmptyLocalPart, "empty_local_part"},
      {P::kEmptyDomain, "empty_domain"},
      {P::kLeadingDot, "leading_dot"},
      {P::kTrailingDot, "trailing_dot"},
      {P::kConsecutiveDots, "consecutive_dots"},
      {P::kInvalidCharacter, "invalid_character"},
      {P::kUnclosedQuote, "unclosed_quote"},
      {P::kInvalidDomainLabel, "invalid_domain_label"},
      {P::kDomainWithoutDot, "domain_without_dot"},
      {P::kLocalPartTooLong, "local_part_too_long"},
      {P::kDomainTooLong, "domain_too_long"},
      {P::kAddressTooLong, "address_too_long"},
  };
  for (const auto& [problem, name] : names) EXPECT_EQ(EmailProblemName(problem), name);
}

}  // namespace
}  // namespace roster
