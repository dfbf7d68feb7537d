// The HTTP server over Boost.Beast: the only translation unit of cxhub that includes Beast
// and Asio (they are slow to compile).
#include "api/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "api/api_error.h"
#include "render/record_json_text.h"

namespace cx::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

const std::string* HttpRequest::Header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return &v;
  return nullptr;
}

namespace {

thread_local int tls_worker = 0;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

using BeastRequest = http::request<http::string_body>;
using BeastResponse = http::response<http::string_body>;

// The request as handlers see it (header names lower-case); takes the body.
HttpRequest ToHttpRequest(BeastRequest& in, const std::string& remote) {
  HttpRequest req;
  req.method = std::string(in.method_string());
  req.target = std::string(in.target());
  auto q = req.target.find('?');
  req.path = req.target.substr(0, q);
  if (q != std::string::npos) req.query = req.target.substr(q + 1);
  for (const auto& f : in)
    req.headers.emplace_back(Lower({f.name_string().data(), f.name_string().size()}),
                             std::string(f.value()));
  req.body = std::move(in.body());
  req.remote = remote;
  return req;
}

// The answer to a request whose `part` ("headers", "body") could not be read, or nullopt when
// the client went away (nobody to answer).
std::optional<HttpResponse> ReadRefusal(beast::error_code ec, const char* part,
                                        const ServerOptions& opt) {
  if (ec == http::error::end_of_stream || ec == asio::error::eof ||
      ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
    return std::nullopt;
  }
  int status = 400;
  std::string message =
      std::string("the request's ") + part + " could not be read: " + ec.message();
  if (ec == http::error::body_limit) {
    status = 413;
    message = "the request body is larger than " + std::to_string(opt.max_body_bytes) + " bytes";
  } else if (ec == http::error::header_limit) {
    status = 431;
    message =
        "the request headers are larger than " + std::to_string(opt.max_header_bytes) + " bytes";
  } else if (ec == beast::error::timeout) {
    status = 408;
    message = std::string("the request's ") + part + " did not arrive in time";
  }
  const char* code = status == 413   ? "too_large"
                     : status == 431 ? "headers_too_large"
                     : status == 408 ? "timeout"
                                     : "bad_request";
  return ErrorResponse(status, code, message);
}

std::shared_ptr<BeastResponse> ToBeastResponse(HttpResponse r, bool keep_alive) {
  auto res = std::make_shared<BeastResponse>();
  res->version(11);
  res->result(static_cast<unsigned>(r.status));
  res->set(http::field::content_type, r.content_type);
  for (auto& [k, v] : r.headers) res->set(k, v);
  res->body() = std::move(r.body);
  res->keep_alive(keep_alive);
  res->prepare_payload();
  return res;
}

}  // namespace

ReadOutcome ReadRequest(std::string_view bytes, const ServerOptions& opt,
                        const std::string& remote) {
  ReadOutcome out;
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
  parser.body_limit(opt.max_body_bytes);
  parser.eager(true);
  size_t used = 0;
  while (!parser.is_done()) {
    beast::error_code ec;
    size_t n = 0;
    if (used < bytes.size())
      n = parser.put(asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    used += n;
    if (ec == http::error::need_more) ec = {};
    if (!ec && n > 0) continue;
    if (!ec) {
      // No progress: the client has sent all it will, as a connection's read meets the end of
      // the stream.
      if (!parser.got_some()) return out;  // kClosed
      parser.put_eof(ec);
      if (!ec && !parser.is_done()) ec = http::error::partial_message;
      if (!ec) break;
    }
    auto refusal = ReadRefusal(ec, parser.is_header_done() ? "body" : "headers", opt);
    if (!refusal) return out;
    out.kind = ReadOutcome::Kind::kRefused;
    out.refusal = std::move(*refusal);
    return out;
  }
  out.kind = ReadOutcome::Kind::kRequest;
  out.keep_alive = parser.get().keep_alive();
  out.request = ToHttpRequest(parser.get(), remote);
  out.consumed = used;
  return out;
}

std::string ResponseBytes(HttpResponse r, bool keep_alive) {
  std::ostringstream os;
  os << *ToBeastResponse(std::move(r), keep_alive);
  return os.str();
}

class Connection;

struct Server::Impl {
  ServerOptions opt;
  Handler handler;
  asio::io_context ioc{1};
  // Two pools of worker threads: reads (GET, HEAD) and everything else. A write can wait for
  // the write lock (a running load holds it for the whole load): it waits on a thread of its
  // own pool, so reads are never queued behind writes that wait.
  asio::io_context read_ioc, write_ioc;
  using WorkGuard = asio::executor_work_guard<asio::io_context::executor_type>;
  std::unique_ptr<WorkGuard> read_guard, write_guard;
  std::vector<std::thread> workers;

  void StopWorkers() {
    read_guard.reset();
    write_guard.reset();
    for (auto& t : workers)
      if (t.joinable()) t.join();
    workers.clear();
  }
  tcp::acceptor acceptor{ioc};
  std::atomic<bool> stopping{false};
  std::mutex mu;  // guards conns
  std::unordered_map<Connection*, std::weak_ptr<Connection>> conns;
  std::mutex log_mu;
  std::optional<asio::signal_set> signals;

  void Log(const std::string& line) {
    if (opt.log) {
      opt.log(line);
      return;
    }
    std::lock_guard<std::mutex> lock(log_mu);
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
  }
  void Accept();
  void StopAll();
};

// One client connection: reads requests one after another (keep-alive), hands each to a
// worker, writes its response. Lives as long as an asynchronous operation holds it.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Server::Impl* srv, tcp::socket socket) : srv_(srv), stream_(std::move(socket)) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
    stream_.socket().set_option(tcp::no_delay(true), ec);
  }

  void Start() {
    {
      std::lock_guard<std::mutex> lock(srv_->mu);
      srv_->conns[this] = weak_from_this();
    }
    WaitForRequest();
  }

  ~Connection() {
    std::lock_guard<std::mutex> lock(srv_->mu);
    srv_->conns.erase(this);
  }

  // Called on the connection's strand at shutdown: an idle connection closes now, a busy one
  // after its response.
  void OnShutdown() {
    stopping_ = true;
    if (!busy_) {
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      stream_.socket().close(ec);
    }
  }

  beast::tcp_stream::executor_type executor() { return stream_.get_executor(); }

 private:
  // Waits (idle timeout) for the first bytes of the next request.
  void WaitForRequest() {
    if (stopping_) return Close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(srv_->opt.max_header_bytes));
    parser_->body_limit(srv_->opt.max_body_bytes);
    if (buffer_.size() > 0) return ReadHeader();
    stream_.expires_after(srv_->opt.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return self->Close();
                              self->buffer_.commit(n);
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    started_ = Clock::now();
    busy_ = true;  // a request has begun: shutdown lets it finish
    stream_.expires_after(srv_->opt.header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->ReadFailed(ec, "headers");
                              self->OnHeader();
                            });
  }

  void OnHeader() {
    auto& req = parser_->get();
    auto expect = req[http::field::expect];
    if (!expect.empty() && beast::iequals(expect, "100-continue") && !parser_->is_done()) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                     req.version());
      http::async_write(stream_, *cont,
                        [self = shared_from_this(), cont](beast::error_code ec, size_t) {
                          if (ec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(srv_->opt.body_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->ReadFailed(ec, "body");
                       self->Dispatch();
                     });
  }

  // A request that could not be read: answer what is wrong when the client can hear it, then
  // close (the rest of the stream cannot be trusted).
  void ReadFailed(beast::error_code ec, const char* part) {
    auto refusal = ReadRefusal(ec, part, srv_->opt);
    if (!refusal) return Close();
    request_line_ =
        parser_->get().method_string().empty() ? "-" : std::string(parser_->get().method_string());
    path_ = std::string(parser_->get().target());
    if (path_.empty()) path_ = "-";
    Write(std::move(*refusal), /*keep_alive=*/false);
  }

  void Dispatch() {
    keep_alive_ = parser_->get().keep_alive();
    auto req = std::make_shared<HttpRequest>(ToHttpRequest(parser_->get(), remote_));
    request_line_ = req->method;
    path_ = req->path;
    // The worker pool does the handler's (database) work; the answer comes back to this
    // connection's strand. The work guard keeps the I/O loop alive meanwhile.
    auto guard = asio::make_work_guard(srv_->ioc);
    const bool reads = req->method == "GET" || req->method == "HEAD";
    auto& pool = reads ? srv_->read_ioc : srv_->write_ioc;
    asio::post(pool, [self = shared_from_this(), req, guard]() mutable {
      HttpResponse resp;
      try {
        resp = self->srv_->handler(*req, tls_worker);
      } catch (const std::exception& e) {
        resp = ErrorResponse(500, "internal", std::string("unexpected error: ") + e.what());
      }
      asio::post(self->executor(),
                 [self, resp = std::move(resp), guard = std::move(guard)]() mutable {
                   self->Write(std::move(resp), self->keep_alive_);
                 });
    });
  }

  void Write(HttpResponse r, bool keep_alive) {
    if (stopping_ || srv_->stopping) keep_alive = false;
    status_ = r.status;
    user_ = std::move(r.user);
    auto res = ToBeastResponse(std::move(r), keep_alive);
    bytes_ = res->body().size();
    stream_.expires_after(srv_->opt.body_timeout);
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res, keep_alive](beast::error_code ec, size_t) {
                        self->LogRequest();
                        self->busy_ = false;
                        if (ec) return self->Close();
                        if (!keep_alive) return self->LingeringClose();
                        self->WaitForRequest();
                      });
  }

  void LogRequest() {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_);
    // Written as text (keys in the sorted order a JSON object dump gives): a tree of JSON
    // nodes built and freed for every request was 3% of the CPU time of an account view.
    std::string line = "{\"bytes\":" + std::to_string(bytes_) + ",\"method\":";
    line.reserve(160 + path_.size());
    AppendJsonString(&line, request_line_);
    line += ",\"path\":";
    AppendJsonString(&line, path_);
    line += ",\"remote\":";
    AppendJsonString(&line, remote_);
    line += ",\"status\":" + std::to_string(status_) + ",\"us\":" + std::to_string(us.count()) +
            ",\"user\":";
    AppendJsonString(&line, user_);
    line += '}';
    srv_->Log(line);
  }

  // Stops sending, then reads and drops what the client may still be sending (a refused
  // body) for a short while, so that closing does not reset the connection before the client
  // has read the answer.
  void LingeringClose() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    stream_.expires_after(std::chrono::seconds(2));
    Drain();
  }

  void Drain() {
    buffer_.consume(buffer_.size());
    stream_.async_read_some(buffer_.prepare(64 * 1024),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > 4 * self->srv_->opt.max_body_bytes + 65536)
                                return self->Close();
                              self->buffer_.commit(n);
                              self->Drain();
                            });
  }

  void Close() {
    busy_ = false;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  Server::Impl* srv_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string remote_;
  std::string request_line_ = "-", path_ = "-", user_ = "-";
  int status_ = 0;
  size_t bytes_ = 0, drained_ = 0;
  bool keep_alive_ = true, busy_ = false, stopping_ = false;
  Clock::time_point started_ = Clock::now();
};

void Server::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
    if (stopping) return;
    if (!ec) std::make_shared<Connection>(this, std::move(s))->Start();
    Accept();
  });
}

void Server::Impl::StopAll() {
  if (stopping.exchange(true)) return;
  beast::error_code ec;
  acceptor.close(ec);
  if (signals) signals->cancel(ec);
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard<std::mutex> lock(mu);
    for (auto& [p, w] : conns)
      if (auto c = w.lock()) live.push_back(std::move(c));
  }
  for (auto& c : live) asio::post(c->executor(), [c] { c->OnShutdown(); });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  if (!impl_) return;
  impl_->read_ioc.stop();
  impl_->write_ioc.stop();
  impl_->StopWorkers();
}

Result<std::unique_ptr<Server>> Server::Listen(ServerOptions opt, Handler handler) {
  auto impl = std::make_unique<Impl>();
  impl->opt = std::move(opt);
  impl->handler = std::move(handler);
  beast::error_code ec;
  auto addr = asio::ip::make_address(impl->opt.host, ec);
  if (ec) return Invalid("listen: '" + impl->opt.host + "' is not an IP address");
  tcp::endpoint ep(addr, impl->opt.port);
  const std::string where = impl->opt.host + ":" + std::to_string(impl->opt.port);
  impl->acceptor.open(ep.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(ep, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Internal("cannot listen on " + where + ": " + ec.message());
  if (impl->opt.workers < 1) impl->opt.workers = 1;
  if (impl->opt.write_workers < 1) impl->opt.write_workers = 1;
  impl->read_guard = std::make_unique<Impl::WorkGuard>(impl->read_ioc.get_executor());
  impl->write_guard = std::make_unique<Impl::WorkGuard>(impl->write_ioc.get_executor());
  const int total = impl->opt.workers + impl->opt.write_workers;
  for (int i = 0; i < total; ++i) {
    auto* pool = i < impl->opt.workers ? &impl->read_ioc : &impl->write_ioc;
    impl->workers.emplace_back([pool, i] {
      tls_worker = i;
      pool->run();
    });
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::Shutdown() {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->StopAll(); });
}

void Server::Run(bool handle_signals) {
  if (handle_signals) {
    impl_->signals.emplace(impl_->ioc, SIGINT, SIGTERM);
    impl_->signals->async_wait([impl = impl_.get()](beast::error_code ec, int sig) {
      if (ec) return;
      impl->Log(nlohmann::json{{"event", "shutdown"}, {"signal", sig}}.dump());
      impl->StopAll();
    });
  }
  impl_->Accept();
  impl_->ioc.run();
  // Every connection is gone, so every handler has finished: stop the workers.
  impl_->StopWorkers();
}

}  // namespace cx::api
