// COPY's text format as CopyRows writes it (pg_db.h): the four bytes it escapes, NULL, numbers.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "store/postgres/pg_db.h"

namespace cx::pg {
namespace {

TEST(PgCopyRows, EscapesWhatCopysTextFormatEscapesAndNothingElse) {
  CopyRows rows;
  rows.Text("plain").Text("a\\b\tc\nd\re").Text("").TextOrNull("").Int(-42);
  rows.EndRow();
  rows.Text("\\").Text("Zoë \"quoted\" ,;").Int(std::numeric_limits<int64_t>::min());
  rows.EndRow();
  EXPECT_EQ(rows.data(),
            "plain\ta\\\\b\\tc\\nd\\re\t\t\\N\t-42\n"
            "\\\\\tZoë \"quoted\" ,;\t-9223372036854775808\n");
  EXPECT_EQ(rows.rows(), 2u);
}

}  // namespace
}  // namespace cx::pg
