// libFuzzer target for the streaming .xlsx reader. The first byte picks what the rest is:
// 0 a whole .xlsx (zip) file; 1 the XML of a sheet; 2 the shared strings; 3 the styles
// (the last three wrapped into an otherwise valid, uncompressed workbook).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "io/xlsx/xlsx_reader.h"
#include "xlsx_test_util.h"

namespace {

uint32_t Crc32(const std::string& s) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

void Put16(std::string* o, uint32_t v) {
  o->push_back(char(v & 0xFF));
  o->push_back(char((v >> 8) & 0xFF));
}
void Put32(std::string* o, uint32_t v) {
  Put16(o, v & 0xFFFF);
  Put16(o, v >> 16);
}

// A zip of stored (uncompressed) entries, so that mutations reach the XML.
std::string StoredZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out, central;
  for (const auto& [name, data] : entries) {
    uint32_t offset = uint32_t(out.size());
    uint32_t crc = Crc32(data);
    Put32(&out, 0x04034b50);
    Put16(&out, 20);
    Put16(&out, 0);
    Put16(&out, 0);  // stored
    Put16(&out, 0);
    Put16(&out, 0);
    Put32(&out, crc);
    Put32(&out, uint32_t(data.size()));
    Put32(&out, uint32_t(data.size()));
    Put16(&out, uint16_t(name.size()));
    Put16(&out, 0);
    out += name;
    out += data;
    Put32(&central, 0x02014b50);
    Put16(&central, 20);
    Put16(&central, 20);
    Put16(&central, 0);
    Put16(&central, 0);
    Put16(&central, 0);
    Put16(&central, 0);
    Put32(&central, crc);
    Put32(&central, uint32_t(data.size()));
    Put32(&central, uint32_t(data.size()));
    Put16(&central, uint16_t(name.size()));
    Put16(&central, 0);
    Put16(&central, 0);
    Put16(&central, 0);
    Put16(&central, 0);
    Put32(&central, 0);
    Put32(&central, offset);
    central += name;
  }
  uint32_t cd_offset = uint32_t(out.size());
  out += central;
  Put32(&out, 0x06054b50);
  Put16(&out, 0);
  Put16(&out, 0);
  Put16(&out, uint16_t(entries.size()));
  Put16(&out, uint16_t(entries.size()));
  Put32(&out, uint32_t(central.size()));
  Put32(&out, cd_offset);
  Put16(&out, 0);
  return out;
}

const char* kSheet =
    "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" "
    "s=\"1\"><v>45383.5</v></c>"
    "</row></sheetData></worksheet>";
const char* kShared = "<sst><si><t>Account ID</t></si></sst>";
const char* kStyles =
    "<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  int mode = data[0] % 4;
  std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string file;
  if (mode == 0) {
    file = rest;
  } else {
    file = StoredZip(cx::wbtest::MinimalParts(
        "S", mode == 1 ? rest : kSheet, mode == 2 ? rest : kShared, mode == 3 ? rest : kStyles));
  }
  cx::xlsx::Limits limits;
  limits.max_entry_bytes = 64 << 20;
  limits.max_shared_strings_bytes = 16 << 20;
  auto r = cx::xlsx::Reader::OpenBuffer(file.data(), file.size(), limits);
  if (!r.ok()) return 0;
  size_t total = 0;
  for (const auto& name : (*r)->SheetNames()) {
    cx::Status st = (*r)->ReadSheet(name, [&](int64_t, const std::vector<cx::xlsx::Cell>& cells) {
      for (const auto& c : cells) total += c.text.size() + size_t(c.col);
      return cx::Status::Ok();
    });
    (void)st;
  }
  return total == size_t(-1) ? 1 : 0;
}
