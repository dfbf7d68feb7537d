// ERP sync benchmark data: writes a customers export and an orders export of the
// requested sizes (and a 1% delta of the customers), in the default mapping's
// columns. bench/erp.sh times `cxhub erp-sync` on them next to `sqlite3 .import`.
// Usage: erp_bench DIR CUSTOMERS ORDERS
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

const char* kDivisions[] = {"Motors", "Medical", "Power & Industrial", "GRAS"};
const char* kCities[] = {"Lagos", "Abuja", "Kano", "Ibadan", "Port Harcourt", "Enugu"};
const char* kWords[] = {"Alpha", "Sahel",   "Delta", "Niger",  "Zenith",   "Crown",
                        "Royal", "Prime",   "Union", "Global", "Heritage", "Summit",
                        "Atlas", "Pioneer", "Eagle", "Harmony"};

void Customer(std::FILE* f, long i, const char* modified, const char* suffix) {
  std::fprintf(
      f,
      "C%07ld,%s %s %ld %s,Trade,%s,+23480%08ld,c%ld@example.ng,\"%ld Marina Road\",%s,active,%s\n",
      i, kWords[i % 16], kWords[(i / 16) % 16], i, suffix, kDivisions[i % 4], i, i, i % 500,
      kCities[i % 6], modified);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s DIR CUSTOMERS ORDERS\n", argv[0]);
    return 2;
  }
  std::string dir = argv[1];
  long customers = std::atol(argv[2]), orders = std::atol(argv[3]);
  const char* header =
      "ERP Customer ID,Customer Name,Industry,Division,Phone,Email,Address,City,Status,Last "
      "Modified\n";
  std::FILE* c = std::fopen((dir + "/customers.csv").c_str(), "w");
  std::FILE* d = std::fopen((dir + "/customers_delta.csv").c_str(), "w");
  std::FILE* o = std::fopen((dir + "/orders.csv").c_str(), "w");
  if (!c || !d || !o) {
    std::perror("fopen");
    return 1;
  }
  std::fputs(header, c);
  std::fputs(header, d);
  for (long i = 0; i < customers; ++i) {
    Customer(c, i, "2026-01-05 10:00", "Ltd");
    if (i % 100 == 0) Customer(d, i, "2026-02-01 09:00", "Plc");  // 1% changed (name), newer
  }
  std::fputs("Order ID,ERP Customer ID,Order Date,Division,Amount,Currency,Last Modified\n", o);
  for (long i = 0; i < orders; ++i) {
    long cust = (i * 7919) % customers;
    std::fprintf(o, "SO%08ld,C%07ld,2025-%02ld-%02ld,%s,%ld.%02ld,NGN,2026-01-05 10:00\n", i, cust,
                 1 + i % 12, 1 + i % 28, kDivisions[cust % 4], 1000 + i % 99000, i % 100);
  }
  std::fclose(c);
  std::fclose(d);
  std::fclose(o);
  std::printf("wrote %ld customers, %ld orders, %ld delta rows in %s\n", customers, orders,
              (customers + 99) / 100, dir.c_str());
  return 0;
}
