// Search-first latency: FindProbableDuplicates for names typed the way people type them
// (a case change, a dropped legal suffix, a typo), over an existing hub.
// usage: search_bench DB_PATH|URL [SAMPLES] [name|phone|email|lengths]   prints p50/p95/p99/max in
// milliseconds. `phone` and `email` look up the sampled accounts' phone or email key instead
// of their name (accounts without one are not sampled). `lengths` looks up names of every
// length a name may have (domain/cell_text.h: 300 characters): each sampled name followed by
// the words of other sampled names up to 25, 50, 100, 150, 200, 250 and 300 characters, with a
// line of figures per length. SEARCH_BENCH_KIND=contact samples and looks up contacts (by their
// person name key) instead of accounts.
// `typed [QUERY]` runs search-as-you-type (Search, limit 10) instead: QUERY SAMPLES times, or
// without it SAMPLES names of the hub's accounts and contacts typed as bench/http.sh types them
// (a first word and the start of the next, two letters swapped, whole in lower case). It prints
// the CPU time per search and a checksum of the answers (ids, scores, order), which must not
// change when only the speed of Search does. The queries run twice (SEARCH_BENCH_PASSES), in
// read transactions: a line per pass, the first reading the keys from the index, the next ones
// from the store's cache of match keys.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "base/text.h"
#include "domain/cell_text.h"
#include "service/dedupe.h"
#include "service/match.h"
#include "store/open/open_store.h"
#include "store/store.h"

// This thread's CPU time in milliseconds.
double ThreadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

// `name` typed as bench/http.sh's rotation types its `n`th (from 1) query.
std::string AsTyped(const std::string& name, size_t n) {
  std::vector<std::string> words = cx::Words(name);  // lower case, as search folds it anyway
  std::string q = name;
  if (n % 3 == 1 && !words.empty()) {
    q = words[0];
    if (words.size() > 1) q += " " + words[1].substr(0, 2 + n % 3);
  } else if (n % 3 == 2 && q.size() > 5) {
    std::swap(q[2], q[3]);
  } else {
    for (char& c : q) c = char(std::tolower(static_cast<unsigned char>(c)));
  }
  return q;
}

int Typed(cx::Store& store, int samples, const std::string& fixed) {
  std::vector<std::string> queries;
  if (!fixed.empty()) queries.assign(size_t(samples), fixed);
  cx::Status st = store.Transaction([&](cx::Tx& tx) -> cx::Status {
    for (cx::NameKind k : {cx::NameKind::kAccount, cx::NameKind::kContact}) {
      int64_t n = 0;
      CX_RETURN_IF_ERROR(tx.ForEachMatchKeys(k, [&](const cx::MatchKeys& r) {
        // Spread over the hub: every 7th record, half of the queries of each kind.
        if (int(queries.size()) < samples * (k == cx::NameKind::kAccount ? 1 : 2) / 2 &&
            n++ % 7 == 3)
          queries.push_back(AsTyped(r.name, queries.size() + 1));
        return cx::Status::Ok();
      }));
    }
    return cx::Status::Ok();
  });
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  // The queries twice (SEARCH_BENCH_PASSES times): the first pass reads every candidate's keys
  // from the index, the later ones find most in the store's cache of match keys (a server's
  // reads, like these, share it; docs/search.md, "Speed"). Each pass has a line of figures.
  const char* passes_env = std::getenv("SEARCH_BENCH_PASSES");
  const int passes = passes_env ? std::max(1, std::atoi(passes_env)) : 2;
  for (int pass = 1; pass <= passes; ++pass) {
    std::vector<double> cpu_ms;
    uint64_t sum = 1469598103934665603ULL;  // FNV-1a over every answer
    auto mix = [&](const std::string& s) {
      for (unsigned char c : s) sum = (sum ^ c) * 1099511628211ULL;
      sum = (sum ^ 0xff) * 1099511628211ULL;
    };
    size_t listed = 0;
    for (const auto& q : queries) {
      const double c0 = ThreadCpuMs();
      // A read transaction, as the server's search is.
      st = store.Read([&](cx::Tx& tx) -> cx::Status {
        CX_ASSIGN_OR_RETURN(auto found, cx::Search(tx, q, 10));
        for (const auto& m : found) {
          mix(m.id), mix(std::to_string(m.score)), mix(m.why), mix(m.account_name);
          ++listed;
        }
        return cx::Status::Ok();
      });
      cpu_ms.push_back(ThreadCpuMs() - c0);
      if (!st.ok()) {
        std::fprintf(stderr, "%s: %s\n", q.c_str(), st.ToString().c_str());
        return 1;
      }
    }
    double total = 0;
    for (double c : cpu_ms) total += c;
    // SEARCH_BENCH_SLOWEST=N names the N searches that took the most CPU.
    if (const char* n = std::getenv("SEARCH_BENCH_SLOWEST")) {
      std::vector<size_t> order(queries.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::sort(order.begin(), order.end(),
                [&](size_t a, size_t b) { return cpu_ms[a] > cpu_ms[b]; });
      for (size_t i = 0; i < order.size() && i < size_t(std::atoi(n)); ++i)
        std::printf("%.3f ms  '%s'\n", cpu_ms[order[i]], queries[order[i]].c_str());
    }
    std::sort(cpu_ms.begin(), cpu_ms.end());
    const auto at = [&](double p) {
      return cpu_ms.empty()
                 ? 0.0
                 : cpu_ms[std::min(cpu_ms.size() - 1, size_t(p * double(cpu_ms.size())))];
    };
    std::printf(
        "search %s, pass %d: %zu searches, %zu listed; CPU ms per search: mean %.3f  p50 %.3f  "
        "p99 %.3f; answers %016llx\n",
        fixed.empty() ? "typed names" : fixed.c_str(), pass, queries.size(), listed,
        queries.empty() ? 0.0 : total / double(queries.size()), at(0.5), at(0.99),
        (unsigned long long)sum);
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DB_PATH [SAMPLES]\n", argv[0]);
    return 2;
  }
  int samples = argc > 2 ? std::atoi(argv[2]) : 1000;
  const std::string by = argc > 3 ? argv[3] : "name";
  // A path is an SQLite file; a URL (postgresql://…, sqlite:…) is opened as it is.
  const std::string where = argv[1];
  const bool url = where.find("://") != std::string::npos || where.rfind("sqlite:", 0) == 0;
  auto store = cx::OpenStore(url ? where : "sqlite:" + where);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  if (by == "typed") return Typed(**store, samples, argc > 4 ? argv[4] : "");
  // Sample names to look up: accounts', or (SEARCH_BENCH_KIND=contact) contacts'.
  const char* kind_env = std::getenv("SEARCH_BENCH_KIND");
  const bool contacts = kind_env && std::string(kind_env) == "contact";
  const cx::NameKind kind = contacts ? cx::NameKind::kContact : cx::NameKind::kAccount;
  std::vector<cx::MatchKeys> pool;
  std::mt19937_64 rng(42);
  int64_t seen = 0;
  cx::Status st = (*store)->Transaction([&](cx::Tx& tx) {
    return tx.ForEachMatchKeys(kind, [&](const cx::MatchKeys& k) {
      if ((by == "phone" && k.phone_key.empty()) || (by == "email" && k.email_key.empty()))
        return cx::Status::Ok();
      ++seen;
      if (int(pool.size()) < samples) {
        pool.push_back(k);
      } else {
        std::uniform_int_distribution<int64_t> d(0, seen - 1);
        int64_t j = d(rng);
        if (j < samples) pool[size_t(j)] = k;
      }
      return cx::Status::Ok();
    });
  });
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  // The names looked up: as sampled, or (`lengths`) grown to each length up to the cap.
  std::vector<size_t> lengths = {0};
  if (by == "lengths") lengths = {25, 50, 100, 150, 200, 250, cx::kMaxNameChars};
  for (size_t length : lengths) {
    std::vector<double> ms, cpu_ms;  // wall; this thread's CPU (the machine may be shared)
    int found = 0;
    for (size_t i = 0; i < pool.size(); ++i) {
      std::string name = pool[i].name;
      for (size_t j = i + 1; length > 0 && name.size() < length; ++j) {
        for (const auto& w : cx::Words(pool[j % pool.size()].name)) {
          if (name.size() + 1 + w.size() > length) break;
          name += " " + w;
        }
        if (j > i + pool.size()) break;
      }
      if (i % 3 == 1 && name.size() > 6) std::swap(name[3], name[4]);  // a typo
      if (i % 3 == 2) {
        for (char& c : name) c = char(std::toupper(static_cast<unsigned char>(c)));
      }
      // A contact is looked up within its company, as `contact add --account` does.
      cx::MatchKeys probe{"", name, contacts ? cx::PersonKey(name) : cx::CompanyKey(name),
                          "", "",   contacts ? pool[i].account_id : ""};
      if (by == "phone") probe = {"", "", "", pool[i].phone_key, "", ""};
      if (by == "email") probe = {"", "", "", "", pool[i].email_key, ""};
      const double c0 = ThreadCpuMs();
      auto t0 = std::chrono::steady_clock::now();
      std::vector<cx::Match> matches;
      st = (*store)->Transaction([&](cx::Tx& tx) -> cx::Status {
        auto r = cx::FindProbableDuplicates(tx, kind, probe);
        if (!r.ok()) return r.status();
        matches = *r;
        return cx::Status::Ok();
      });
      auto t1 = std::chrono::steady_clock::now();
      if (!st.ok()) {
        std::fprintf(stderr, "%s\n", st.ToString().c_str());
        return 1;
      }
      bool hit = false;
      for (const auto& m : matches) hit = hit || m.id == pool[i].id;
      found += hit;
      // SEARCH_BENCH_MISSES=1 names each look-up that did not find its original.
      if (!hit && length == 0 && std::getenv("SEARCH_BENCH_MISSES"))
        std::printf("missed %s: '%s'\n", pool[i].id.c_str(), name.c_str());
      ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      cpu_ms.push_back(ThreadCpuMs() - c0);
    }
    std::sort(ms.begin(), ms.end());
    std::sort(cpu_ms.begin(), cpu_ms.end());
    auto at = [](const std::vector<double>& v, double p) {
      return v.empty() ? 0.0 : v[std::min(v.size() - 1, size_t(p * double(v.size())))];
    };
    auto pct = [&](double p) { return at(ms, p); };
    if (length > 0) {
      std::printf(
          "names up to %3zu characters: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f ms  (CPU: p95 "
          "%.2f)\n",
          length, pct(0.5), pct(0.95), pct(0.99), ms.empty() ? 0.0 : ms.back(), at(cpu_ms, 0.95));
      continue;
    }
    std::printf("search-first lookups by %s: %zu over %lld %s; original found in %d (%.1f%%)\n",
                by.c_str(), ms.size(), (long long)seen, contacts ? "contacts" : "accounts", found,
                ms.empty() ? 0.0 : 100.0 * found / double(ms.size()));
    std::printf("latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f  (CPU: p50 %.2f  p95 %.2f)\n",
                pct(0.5), pct(0.95), pct(0.99), ms.empty() ? 0.0 : ms.back(), at(cpu_ms, 0.5),
                at(cpu_ms, 0.95));
  }
  return 0;
}
