// Workbook benchmark: one phase per invocation, each printing its seconds and peak RSS.
//   workbook_bench gen FILE ACCOUNTS CONTACTS INTERACTIONS  (also the export floor: libxlsxwriter
//   alone) workbook_bench import FILE DB       cxhub import into a fresh hub workbook_bench export
//   DB FILE       cxhub export workbook_bench readfloor FILE       unzip + bare expat parse of
//   every part workbook_bench csv FILE DIR         the three seed sheets as CSV (for the sqlite3
//   .import floor)
// bench/workbook.sh runs them all next to LibreOffice and sqlite3.
#include <expat.h>
#include <sys/resource.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "io/workbook/workbook_schema.h"
#include "io/xlsx/xlsx_reader.h"
#include "service/workbook_export.h"
#include "service/workbook_import.h"
#include "store/open/open_store.h"

namespace {

using Clock = std::chrono::steady_clock;

void Report(const char* phase, Clock::time_point start, const std::string& extra = "") {
  double s = std::chrono::duration<double>(Clock::now() - start).count();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  double cpu = double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
               double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  std::printf("%-10s %9.2f s wall %9.2f s cpu  peak RSS %7.1f MiB  %s\n", phase, s, cpu,
              double(ru.ru_maxrss) / 1024.0, extra.c_str());
}

std::string Id(char prefix, int64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%c-%07lld", prefix, static_cast<long long>(n));
  return buf;
}

const char* kWords[] = {"generator", "service", "quote", "delivery", "invoice",   "visit",
                        "warranty",  "parts",   "pump",  "engine",   "follow-up", "meeting",
                        "price",     "urgent",  "spare", "install"};
const char* kSyllables[] = {"ba", "de", "ko", "la", "mi", "nu",  "ol",  "pa", "re",  "si",
                            "ta", "vu", "wa", "ye", "zo", "chi", "di",  "fe", "gu",  "ha",
                            "ji", "ka", "lo", "ma", "ne", "ob",  "pu",  "ru", "sa",  "te",
                            "un", "va", "we", "xi", "yo", "za",  "ade", "bo", "ife", "emi"};
const char* kChannels[] = {"phone",   "email",   "whatsapp", "visit",
                           "meeting", "walk-in", "web",      "other"};
const char* kDivisions[] = {"Motors", "Power & Industrial", "Medical", "GRAS", "Cube 65"};

int Gen(const std::string& file, int64_t accounts, int64_t contacts, int64_t interactions) {
  auto start = Clock::now();
  lxw_workbook_options opt = {};
  opt.constant_memory = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(file.c_str(), &opt);
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* dt = workbook_add_format(wb);
  format_set_num_format(dt, "yyyy-mm-dd hh:mm:ss");
  auto word = [&](auto& rnd) {
    std::string w;
    for (int k = 0; k < 3; ++k) w += kSyllables[rnd() % 40];
    w[0] = char(w[0] - 32);
    return w;
  };
  auto header = [&](lxw_worksheet* ws, const std::string& sheet) {
    const auto& cols = cx::workbook::ColumnsOf(sheet);
    for (size_t c = 0; c < cols.size(); ++c)
      worksheet_write_string(ws, 0, lxw_col_t(c), cols[c].c_str(), bold);
  };
  // WB_FIRST_ID=N numbers the records from N (a second workbook for a hub that holds the
  // first); WB_NO_ERP=1 leaves ERP Customer ID blank (a hub not yet linked to the ERP).
  const int64_t first = std::getenv("WB_FIRST_ID") ? std::atoll(std::getenv("WB_FIRST_ID")) : 1;
  const bool no_erp = std::getenv("WB_NO_ERP") != nullptr;
  const int64_t shift = first - 1;
  uint64_t seed = 42 + uint64_t(shift);
  auto rnd = [&] {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return uint32_t(seed >> 33);
  };
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Accounts");
  header(ws, "Accounts");
  for (int64_t i = 1; i <= accounts; ++i) {
    auto r = lxw_row_t(i);
    std::string name = word(rnd) + " " + word(rnd) + (i % 3 ? " Ltd" : " Nig.");
    worksheet_write_string(ws, r, 0, Id('A', shift + i).c_str(), nullptr);
    worksheet_write_string(ws, r, 1, name.c_str(), nullptr);
    worksheet_write_string(ws, r, 2, kWords[rnd() % 16], nullptr);
    if (!no_erp)
      worksheet_write_string(ws, r, 3, ("0" + std::to_string(100000 + shift + i)).c_str(), nullptr);
    worksheet_write_string(ws, r, 4, ("Owner " + std::to_string(rnd() % 40)).c_str(), nullptr);
    worksheet_write_string(ws, r, 5, kDivisions[rnd() % 5], nullptr);
    worksheet_write_string(ws, r, 6, "customer", nullptr);
  }
  ws = workbook_add_worksheet(wb, "Contacts");
  header(ws, "Contacts");
  for (int64_t i = 1; i <= contacts; ++i) {
    auto r = lxw_row_t(i);
    std::string name = word(rnd) + " " + word(rnd);
    worksheet_write_string(ws, r, 0, Id('C', shift + i).c_str(), nullptr);
    worksheet_write_string(ws, r, 1, name.c_str(), nullptr);
    worksheet_write_string(ws, r, 2, "Manager", nullptr);
    worksheet_write_string(
        ws, r, 3, Id('A', shift + 1 + int64_t(rnd() % uint32_t(accounts))).c_str(), nullptr);
  }
  ws = workbook_add_worksheet(wb, "Interactions");
  header(ws, "Interactions");
  double base = 45292;  // 2024-01-01
  for (int64_t i = 1; i <= interactions; ++i) {
    auto r = lxw_row_t(i);
    std::string notes;
    for (int w = 0; w < 12; ++w) notes += std::string(kWords[rnd() % 16]) + " ";
    worksheet_write_string(ws, r, 0, Id('I', shift + i).c_str(), nullptr);
    worksheet_write_number(ws, r, 1, base + double(rnd() % (700 * 1440)) / 1440.0, dt);
    worksheet_write_string(
        ws, r, 2, Id('C', shift + 1 + int64_t(rnd() % uint32_t(contacts))).c_str(), nullptr);
    worksheet_write_string(ws, r, 3, kChannels[rnd() % 8], nullptr);
    worksheet_write_string(ws, r, 4, notes.c_str(), nullptr);
    if (rnd() % 4 == 0) worksheet_write_string(ws, r, 5, "Call back", nullptr);
    worksheet_write_string(ws, r, 6, ("Owner " + std::to_string(rnd() % 40)).c_str(), nullptr);
    worksheet_write_string(ws, r, 10, kDivisions[rnd() % 5], nullptr);
  }
  for (const char* s : {"Opportunities", "Stage History", "Cases", "Orders", "Feedback"}) {
    ws = workbook_add_worksheet(wb, s);
    header(ws, s);
  }
  lxw_error e = workbook_close(wb);
  if (e != LXW_NO_ERROR) {
    std::fprintf(stderr, "write failed: %s\n", lxw_strerror(e));
    return 1;
  }
  Report("gen/floor", start,
         std::to_string(accounts) + " accounts, " + std::to_string(contacts) + " contacts, " +
             std::to_string(interactions) + " interactions");
  return 0;
}

int Import(const std::string& file, const std::string& db) {
  auto store = cx::OpenStore("sqlite:" + db);
  if (!store.ok() || !(*store)->Migrate().ok()) return 1;
  cx::Context ctx;
  ctx.store = store->get();
  auto start = Clock::now();
  auto r = cx::ImportWorkbook(ctx, file);
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
    return 1;
  }
  if (!r->ok()) {
    std::fprintf(stderr, "%s\n", cx::ImportErrors(*r).ToString().c_str());
    return 2;
  }
  int64_t created = 0;
  for (const auto& s : r->sheets) created += s.created;
  Report("import", start, std::to_string(created) + " records created");
  return 0;
}

int Export(const std::string& db, const std::string& file) {
  auto store = cx::OpenStore("sqlite:" + db);
  if (!store.ok()) return 1;
  cx::Context ctx;
  ctx.store = store->get();
  auto start = Clock::now();
  auto r = cx::ExportWorkbook(ctx, file);
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
    return 1;
  }
  Report("export", start);
  return 0;
}

int ReadFloor(const std::string& file) {
  auto start = Clock::now();
  int err = 0;
  zip_t* za = zip_open(file.c_str(), ZIP_RDONLY, &err);
  if (!za) return 1;
  std::vector<char> buf(1 << 16);
  int64_t elements = 0;
  for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); ++i) {
    const char* name = zip_get_name(za, i, 0);
    if (!name || !std::strstr(name, ".xml")) continue;
    zip_file_t* f = zip_fopen_index(za, i, 0);
    XML_Parser p = XML_ParserCreate(nullptr);
    XML_SetUserData(p, &elements);
    XML_SetStartElementHandler(
        p, [](void* ud, const XML_Char*, const XML_Char**) { ++*static_cast<int64_t*>(ud); });
    zip_int64_t n;
    while ((n = zip_fread(f, buf.data(), buf.size())) > 0) XML_Parse(p, buf.data(), int(n), 0);
    XML_Parse(p, buf.data(), 0, 1);
    XML_ParserFree(p);
    zip_fclose(f);
  }
  zip_close(za);
  Report("readfloor", start, std::to_string(elements) + " elements");
  return 0;
}

std::string Csv(const std::string& v) {
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string o = "\"";
  for (char c : v) {
    if (c == '"') o += '"';
    o += c;
  }
  return o + "\"";
}

int ToCsv(const std::string& file, const std::string& dir) {
  auto r = cx::xlsx::Reader::Open(file);
  if (!r.ok()) return 1;
  for (const char* sheet : {"Accounts", "Contacts", "Interactions"}) {
    std::ofstream out(dir + "/" + sheet + ".csv");
    size_t width = cx::workbook::ColumnsOf(sheet).size();
    cx::Status st = (*r)->ReadSheet(sheet, [&](int64_t, const std::vector<cx::xlsx::Cell>& cells) {
      std::vector<std::string> row(width);
      for (const auto& c : cells) {
        if (size_t(c.col) < width) row[size_t(c.col)] = c.text;
      }
      for (size_t i = 0; i < width; ++i) out << (i ? "," : "") << Csv(row[i]);
      out << "\n";
      return cx::Status::Ok();
    });
    if (!st.ok()) return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "gen" && argc == 6)
    return Gen(argv[2], std::atoll(argv[3]), std::atoll(argv[4]), std::atoll(argv[5]));
  if (cmd == "import" && argc == 4) return Import(argv[2], argv[3]);
  if (cmd == "export" && argc == 4) return Export(argv[2], argv[3]);
  if (cmd == "readfloor" && argc == 3) return ReadFloor(argv[2]);
  if (cmd == "csv" && argc == 4) return ToCsv(argv[2], argv[3]);
  std::fprintf(stderr, "usage: see the comment at the top of bench/workbook_bench.cc\n");
  return 2;
}
