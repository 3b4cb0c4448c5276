#include "sheet/xls_reader.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "sheet/advice.h"
#include "sheet/freexl_reader.h"

namespace roster::sheet {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// The child's bounds, beyond what it inherits. FreeXL holds the whole workbook in memory (a
// file of at most Limits::max_file_bytes); a damaged file once made it ask for 4 GiB.
// AddressSanitizer reserves terabytes of address space, so a sanitizer build sets no address-space
// limit.
constexpr rlim_t kChildAddressSpace = rlim_t{3} << 30;
constexpr rlim_t kChildCpuSeconds = 60;
// No cell or sheet name comes near this; more means the stream is garbage.
constexpr int64_t kMaxStringBytes = int64_t{64} << 20;
constexpr size_t kFlushBytes = 64 * 1024;

// What the child sends, each message a tag and its fields: integers as 8 bytes, strings as
// their length and bytes (the child is a fork of this very program, so the layout is shared).
enum class Tag : char {
  kVisibilityKnown = 'K',  // byte
  kSheet = 'S',            // name, visible byte
  kRow = 'R',              // number, cell count, then per cell: type byte, text
  kEnd = 'E',              // error code, message: the step's outcome
};

class ChildWriter {
 public:
  explicit ChildWriter(int fd) : fd_(fd) {}

  void Byte(char value) { buffer_.push_back(value); }
  void Integer(int64_t value) {
    buffer_.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  void Text(const std::string& text) {
    Integer(static_cast<int64_t>(text.size()));
    buffer_.append(text);
  }
  void End(const Status& status) {
    Byte(static_cast<char>(Tag::kEnd));
    Integer(static_cast<int64_t>(status.code()));
    Text(status.message());
    Flush();
  }
  // False once the parent stopped listening.
  bool MaybeFlush() { return buffer_.size() < kFlushBytes || Flush(); }
  bool Flush() {
    size_t written = 0;
    while (written < buffer_.size()) {
      ssize_t n = write(fd_, buffer_.data() + written, buffer_.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      written += static_cast<size_t>(n);
    }
    buffer_.clear();
    return true;
  }

 private:
  int fd_;
  std::string buffer_;
};

// Reads whole messages out of what has arrived; a message cut by the end of what arrived is
// read again once more has.
class MessageCursor {
 public:
  MessageCursor(const std::string& data, size_t start) : data_(data), position_(start) {}

  size_t position() const { return position_; }
  bool Byte(char& value) {
    if (position_ + 1 > data_.size()) return false;
    value = data_[position_++];
    return true;
  }
  bool Integer(int64_t& value) {
    if (position_ + sizeof value > data_.size()) return false;
    std::memcpy(&value, data_.data() + position_, sizeof value);
    position_ += sizeof value;
    return true;
  }
  // False when incomplete; `garbage` when the length cannot be right.
  bool Text(std::string& text, bool& garbage) {
    int64_t size = 0;
    if (!Integer(size)) return false;
    if (size < 0 || size > kMaxStringBytes) {
      garbage = true;
      return false;
    }
    if (position_ + static_cast<size_t>(size) > data_.size()) return false;
    text.assign(data_, position_, static_cast<size_t>(size));
    position_ += static_cast<size_t>(size);
    return true;
  }

 private:
  const std::string& data_;
  size_t position_;
};

struct Message {
  Tag tag = Tag::kEnd;
  bool flag = false;
  int64_t number = 0;
  std::string text;
  Row row;
};

// One message of `data` from `start`: true, and where the next begins in `next`, when whole.
bool ParseMessage(const std::string& data, size_t start, Message& message, size_t& next,
                  bool& garbage) {
  MessageCursor cursor(data, start);
  char tag = 0;
  if (!cursor.Byte(tag)) return false;
  message.tag = static_cast<Tag>(tag);
  switch (message.tag) {
    case Tag::kVisibilityKnown: {
      char flag = 0;
      if (!cursor.Byte(flag)) return false;
      message.flag = flag != 0;
      break;
    }
    case Tag::kSheet: {
      char visible = 0;
      if (!cursor.Text(message.text, garbage) || !cursor.Byte(visible)) return false;
      message.flag = visible != 0;
      break;
    }
    case Tag::kRow: {
      int64_t cells = 0;
      if (!cursor.Integer(message.row.number) || !cursor.Integer(cells)) return false;
      if (cells < 0 || cells > 1 << 16) {
        garbage = true;
        return false;
      }
      message.row.cells.resize(static_cast<size_t>(cells));
      for (Cell& cell : message.row.cells) {
        char type = 0;
        if (!cursor.Byte(type) || !cursor.Text(cell.text, garbage)) return false;
        cell.type = static_cast<CellType>(type);
      }
      break;
    }
    case Tag::kEnd:
      if (!cursor.Integer(message.number) || !cursor.Text(message.text, garbage)) return false;
      break;
    default: garbage = true; return false;
  }
  next = cursor.position();
  return true;
}

// The address space the child (a copy of the parent) already has: a server after a large
// import holds far more than a fresh process, and its limit must come on top of that.
rlim_t AddressSpaceInUse() {
  FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return 0;
  unsigned long pages = 0;
  const bool read = std::fscanf(statm, "%lu", &pages) == 1;
  std::fclose(statm);
  return read ? static_cast<rlim_t>(pages) * static_cast<rlim_t>(sysconf(_SC_PAGESIZE)) : 0;
}

}  // namespace
}  // namespace roster::sheet

// A sanitizer runtime's hook (weak: absent from a normal build), which a fuzzer sets to report
// crashes as its own.
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));

namespace roster::sheet {
namespace {

// The child stays quiet and simply dies when FreeXL goes wrong: the parent says what happened.
// Its stderr goes nowhere, and crash handlers it inherited (a sanitizer's or a fuzzer's, which
// would report the crash as the parent's) are reset.
void SilenceChild() {
  const int null = open("/dev/null", O_WRONLY);
  if (null >= 0) dup2(null, STDERR_FILENO);
  for (int signal : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) std::signal(signal, SIG_DFL);
  if (__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback(nullptr);
}

void LimitChild() {
  rlimit cpu{kChildCpuSeconds, kChildCpuSeconds};
  setrlimit(RLIMIT_CPU, &cpu);
  if (!kSanitized) {
    const rlim_t limit = AddressSpaceInUse() + kChildAddressSpace;
    rlimit memory{limit, limit};
    setrlimit(RLIMIT_AS, &memory);
  }
  rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
}

Status ReadingFailed(const std::string& display_name, const std::string& why) {
  return InvalidArgument(display_name +
                         ": the Excel 97-2003 workbook is damaged or cannot be read (" + why + ")" +
                         std::string(kSaveAgain));
}

// Runs `work` in a child process and hands each message it sends to `on_message` (false:
// enough, the child is stopped). Returns the outcome the child sent at its end, or why it
// sent none (it crashed, ran out of memory or time).
Status RunIsolated(const std::string& display_name, const std::function<void(ChildWriter&)>& work,
                   const std::function<bool(Message&)>& on_message) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return Unavailable(display_name + ": cannot start the .xls reader (" + std::strerror(errno) +
                       ")");
  }
  const pid_t child = fork();
  if (child < 0) {
    close(fds[0]);
    close(fds[1]);
    return Unavailable(display_name + ": cannot start the .xls reader (" + std::strerror(errno) +
                       ")");
  }
  if (child == 0) {
    close(fds[0]);
    SilenceChild();
    LimitChild();
    ChildWriter writer(fds[1]);
    work(writer);
    writer.Flush();
    _exit(0);  // no destructors, no exit handlers: what this process holds is the parent's
  }
  close(fds[1]);
  std::string pending;
  std::optional<Status> outcome;
  bool stopped = false;
  bool garbage = false;
  char chunk[64 * 1024];
  while (!outcome && !stopped && !garbage) {
    ssize_t n = read(fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(chunk, static_cast<size_t>(n));
    size_t start = 0;
    while (!outcome && !stopped) {
      Message message;
      size_t next = 0;
      if (!ParseMessage(pending, start, message, next, garbage)) break;
      start = next;
      if (message.tag == Tag::kEnd) {
        outcome = Status(static_cast<ErrorCode>(message.number), message.text);
      } else if (!on_message(message)) {
        stopped = true;
      }
    }
    pending.erase(0, start);
  }
  close(fds[0]);
  if (stopped || garbage) kill(child, SIGKILL);
  int wait_status = 0;
  while (waitpid(child, &wait_status, 0) < 0 && errno == EINTR) {
  }
  if (stopped) return Status::Ok();
  if (outcome) return *outcome;
  if (WIFSIGNALED(wait_status)) {
    const int signal = WTERMSIG(wait_status);
    return ReadingFailed(
        display_name, signal == SIGXCPU ? "reading it took too long"
                                        : "reading it crashed, signal " + std::to_string(signal));
  }
  return ReadingFailed(display_name, garbage ? "its reader answered garbage"
                                             : "its reader stopped without an answer, perhaps "
                                               "out of memory");
}

class IsolatedXlsReader final : public WorkbookReader {
 public:
  IsolatedXlsReader(std::string path, const Limits& limits, std::string display_name,
                    std::vector<SheetInfo> sheets, bool knows_visibility)
      : path_(std::move(path)),
        limits_(limits),
        display_name_(std::move(display_name)),
        sheets_(std::move(sheets)),
        knows_visibility_(knows_visibility) {}

  FileType type() const override { return FileType::kXls; }
  const std::vector<SheetInfo>& sheets() const override { return sheets_; }
  bool KnowsSheetVisibility() const override { return knows_visibility_; }

  Status ReadRows(size_t sheet_index, const RowCallback& on_row) override {
    if (sheet_index >= sheets_.size()) {
      return InvalidArgument(display_name_ + ": there is no sheet " +
                             std::to_string(sheet_index + 1));
    }
    return RunIsolated(
        display_name_,
        [&](ChildWriter& writer) {
          Result<std::unique_ptr<WorkbookReader>> reader =
              OpenFreeXl(path_, limits_, display_name_);
          if (!reader.ok()) return writer.End(reader.status());
          Status read = (*reader)->ReadRows(sheet_index, [&](const Row& row) {
            writer.Byte(static_cast<char>(Tag::kRow));
            writer.Integer(row.number);
            writer.Integer(static_cast<int64_t>(row.cells.size()));
            for (const Cell& cell : row.cells) {
              writer.Byte(static_cast<char>(cell.type));
              writer.Text(cell.text);
            }
            return writer.MaybeFlush();
          });
          writer.End(read);
        },
        [&](Message& message) { return message.tag != Tag::kRow || on_row(message.row); });
  }

 private:
  std::string path_;
  Limits limits_;
  std::string display_name_;
  std::vector<SheetInfo> sheets_;
  bool knows_visibility_;
};

}  // namespace

Result<std::unique_ptr<WorkbookReader>> OpenXls(const std::string& path, const Limits& limits,
                                                const std::string& display_name) {
  std::vector<SheetInfo> sheets;
  bool knows_visibility = false;
  Status opened = RunIsolated(
      display_name,
      [&](ChildWriter& writer) {
        Result<std::unique_ptr<WorkbookReader>> reader = OpenFreeXl(path, limits, display_name);
        if (!reader.ok()) return writer.End(reader.status());
        writer.Byte(static_cast<char>(Tag::kVisibilityKnown));
        writer.Byte((*reader)->KnowsSheetVisibility() ? 1 : 0);
        for (const SheetInfo& sheet : (*reader)->sheets()) {
          writer.Byte(static_cast<char>(Tag::kSheet));
          writer.Text(sheet.name);
          writer.Byte(sheet.visible ? 1 : 0);
        }
        writer.End(Status::Ok());
      },
      [&](Message& message) {
        if (message.tag == Tag::kVisibilityKnown) knows_visibility = message.flag;
        if (message.tag == Tag::kSheet) sheets.push_back({std::move(message.text), message.flag});
        return true;
      });
  ROSTER_RETURN_IF_ERROR(opened);
  if (sheets.empty()) return ReadingFailed(display_name, "it lists no sheets");
  return std::unique_ptr<WorkbookReader>(std::make_unique<IsolatedXlsReader>(
      path, limits, display_name, std::move(sheets), knows_visibility));
}

}  // namespace roster::sheet
