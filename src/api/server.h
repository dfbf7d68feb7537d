// The HTTP server: asynchronous (Boost.Beast + Asio) behind plain structs, so that no other
// file of cxhub includes Beast. One I/O thread accepts and reads/writes every connection;
// a pool of worker threads runs the handler (the database work), so a slow request never
// holds up the accept loop or other connections.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace cx::api {

// One request as the handler sees it. Header names are lower-case.
struct HttpRequest {
  std::string method;  // "GET", "POST" …
  std::string target;  // as sent: "/api/v1/search?q=ok"
  std::string path;    // the target before '?'
  std::string query;   // the target after '?', without it
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote;  // the peer's address

  // The first header of that (lower-case) name, or nullptr.
  const std::string* Header(std::string_view name) const;
};

// One response. The server adds Content-Length, Connection and Date.
struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string user = "-";  // who made the request, for the access log
};

// Runs on a worker thread; `worker` (0 … workers + write_workers - 1) names it, so that the
// caller can keep one database connection per worker. Must not throw (a throw becomes a 500).
using Handler = std::function<HttpResponse(const HttpRequest&, int worker)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;                 // 0: any free port (see Server::port)
  int workers = 4;                      // threads running the handler for GET and HEAD
  int write_workers = 2;                // threads running it for every other method
  size_t max_header_bytes = 16 * 1024;  // beyond: 431
  size_t max_body_bytes = 1024 * 1024;  // beyond: 413
  // A new request must start within idle_timeout of the connection opening or of the last
  // response (keep-alive); once it has started, its headers must be complete within
  // header_timeout and its body within body_timeout (a client trickling bytes is cut off).
  std::chrono::milliseconds idle_timeout{30000};
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_timeout{30000};
  // Where the access log and the server's own messages go (default: one line on stderr).
  std::function<void(const std::string&)> log;
};

// The socket-free half of the server, for tests and the request fuzzer
// (tests/fuzz/http_request_fuzz.cc): what a connection makes of the bytes a client sends
// before it stops sending. The connection itself uses the same conversions.
struct ReadOutcome {
  enum class Kind {
    kRequest,  // a complete request, for the handler
    kRefused,  // unreadable (bad syntax, a limit, cut short): `refusal` is sent, then close
    kClosed,   // no byte of a request: the connection closes without an answer
  };
  Kind kind = Kind::kClosed;
  HttpRequest request;      // kRequest
  HttpResponse refusal;     // kRefused
  size_t consumed = 0;      // kRequest: bytes read; a next request starts after them
  bool keep_alive = false;  // kRequest: the connection stays open after the answer
};
// Reads one request from `bytes` with Beast's parser and `opt`'s header and body limits, as a
// connection from `remote` does; the end of `bytes` is the client's end of stream.
ReadOutcome ReadRequest(std::string_view bytes, const ServerOptions& opt,
                        const std::string& remote);
// The bytes the server writes for `r`: status line, headers (with Content-Length and
// Connection), body.
std::string ResponseBytes(HttpResponse r, bool keep_alive);

// A listening server. Thread-safe: Shutdown may be called from any thread.
class Server {
 public:
  // Binds and listens on host:port. Errors: kInvalid for a host that is not an address,
  // kInternal when the address cannot be bound (in use, no permission).
  static Result<std::unique_ptr<Server>> Listen(ServerOptions opt, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The port actually bound (the chosen one when the options asked for 0).
  uint16_t port() const;
  // Serves until Shutdown(), or SIGTERM/SIGINT when `handle_signals`. Then stops accepting,
  // closes idle connections, lets every request already read finish and its response be
  // written, and returns.
  void Run(bool handle_signals);
  // Starts the graceful shutdown described at Run.
  void Shutdown();

  struct Impl;  // defined in server.cc only

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cx::api
