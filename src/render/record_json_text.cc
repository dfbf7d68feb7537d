// JSON written straight into one string (record_json_text.h).
#include "render/record_json_text.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "base/text.h"

namespace cx {

void AppendJsonString(std::string* out, std::string_view s) {
  bool ascii = true;
  for (unsigned char c : s) ascii = ascii && c < 0x80;
  if (!ascii && !IsValidUtf8(s)) {
    // Rare (the hub validates the text it takes): nlohmann's own replacement, so that the
    // bytes stay those of the documents this writer stands in for.
    *out += nlohmann::json(std::string(s))
                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out->push_back('"');
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\f':
        *out += "\\f";
        break;
      case '\r':
        *out += "\\r";
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out->append(esc, sizeof esc);
      }
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

namespace {

// The members of one object, written in the order given (which must be the sorted order
// nlohmann's std::map keeps, for the bytes to match).
class Members {
 public:
  explicit Members(std::string* out) : out_(*out) { out_.push_back('{'); }
  // The key (ASCII, nothing to escape) and its colon; the value is the caller's to write.
  std::string& Key(std::string_view k) {
    if (!first_) out_.push_back(',');
    first_ = false;
    out_.push_back('"');
    out_.append(k);
    out_.append("\":");
    return out_;
  }
  // A key that may need escaping (a custom field's name).
  std::string& AnyKey(std::string_view k) {
    if (!first_) out_.push_back(',');
    first_ = false;
    AppendJsonString(&out_, k);
    out_.push_back(':');
    return out_;
  }
  void Text(std::string_view k, std::string_view v) { AppendJsonString(&Key(k), v); }
  void TextOrNull(std::string_view k, std::string_view v) {
    if (v.empty()) {
      Key(k).append("null");
    } else {
      Text(k, v);
    }
  }
  void Bool(std::string_view k, bool v) { Key(k).append(v ? "true" : "false"); }
  void Custom(const CustomFields& f) {
    Members m(&Key("custom"));
    for (const auto& [name, value] : f) AppendJsonString(&m.AnyKey(name), value);
    m.End();
  }
  void End() { out_.push_back('}'); }

 private:
  std::string& out_;
  bool first_ = true;
};

void AppendContact(std::string* out, const Contact& c) {
  Members m(out);
  m.Text("account_id", c.account_id);
  m.Custom(c.custom);
  m.Text("email", c.email);
  m.Text("full_name", c.full_name);
  m.Text("id", c.id);
  m.Text("job_title", c.job_title);
  m.TextOrNull("merged_into", c.merged_into);
  m.Text("phone", c.phone);
  m.End();
}

void AppendInteraction(std::string* out, const Interaction& i, const Zone& z) {
  Members m(out);
  m.Text("case_id", i.case_id);
  m.Text("channel", i.channel);
  m.Text("contact_id", i.contact_id);
  m.Custom(i.custom);
  m.Text("date", FormatTime(i.at, z));
  m.Text("division", i.division);
  m.Text("id", i.id);
  m.Text("logged_by", i.logged_by);
  m.Text("next_action", i.next_action);
  m.Bool("next_action_done", i.next_action_done);
  if (i.next_action_due) {
    m.Text("next_action_due", FormatTime(*i.next_action_due, z));
  } else {
    m.Key("next_action_due").append("null");
  }
  m.Text("next_action_owner", i.next_action_owner);
  m.Text("notes", i.notes);
  m.Text("opportunity_id", i.opportunity_id);
  m.Text("type", i.type);
  m.End();
}

// The account's JSON; `before_custom` and `before_merged_into` receive the offsets of the commas
// before those keys, where the view's "contacts" and "interactions" go in sorted order.
std::string AccountText(const Account& a, size_t* before_custom, size_t* before_merged_into) {
  std::string out;
  out.reserve(512);
  Members m(&out);
  m.Text("address", a.address);
  m.Text("city", a.city);
  *before_custom = out.size();
  m.Custom(a.custom);
  m.Text("divisions", a.divisions);
  m.Text("email", a.email);
  m.Text("erp_customer_id", a.erp_customer_id);
  m.Text("id", a.id);
  m.Text("industry", a.industry);
  *before_merged_into = out.size();
  m.TextOrNull("merged_into", a.merged_into);
  m.Text("name", a.name);
  m.Text("owner", a.owner);
  m.Text("phone", a.phone);
  m.Text("status", a.status);
  m.Text("type", a.type);
  m.End();
  return out;
}

}  // namespace

std::string AccountJsonText(const Account& a) {
  size_t custom = 0, merged = 0;
  return AccountText(a, &custom, &merged);
}

std::string AccountViewJsonText(const AccountView& v, const Zone& z, std::string* account_json) {
  size_t custom = 0, merged = 0;
  std::string account = AccountText(v.account, &custom, &merged);
  std::string out;
  out.reserve(account.size() + 200 * v.contacts.size() + 480 * v.interactions.size() + 64);
  out.append(account, 0, custom);
  out.append(",\"contacts\":[");
  for (size_t k = 0; k < v.contacts.size(); ++k) {
    if (k > 0) out.push_back(',');
    AppendContact(&out, v.contacts[k]);
  }
  out.push_back(']');
  out.append(account, custom, merged - custom);
  out.append(",\"interactions\":[");
  for (size_t k = 0; k < v.interactions.size(); ++k) {
    if (k > 0) out.push_back(',');
    AppendInteraction(&out, v.interactions[k], z);
  }
  out.push_back(']');
  out.append(account, merged, std::string::npos);
  if (account_json) *account_json = std::move(account);
  return out;
}

std::string SearchJsonText(const std::vector<Match>& matches) {
  std::string out;
  out.reserve(16 + matches.size() * 128);
  out.append("{\"results\":[");
  for (size_t i = 0; i < matches.size(); ++i) {
    const Match& h = matches[i];
    if (i > 0) out.push_back(',');
    Members m(&out);
    // A contact names its company (json_out.cc's ToJson): null when it has none.
    if (h.kind == NameKind::kContact) {
      m.TextOrNull("account_id", h.account_id);
      if (h.account_id.empty()) {
        m.Key("account_name").append("null");
      } else {
        m.Text("account_name", h.account_name);
      }
    }
    m.Text("id", h.id);
    m.Text("kind", KindLabel(h.kind));
    m.Text("name", h.name);
    // The number as nlohmann's serializer writes it (its own shortest round-trip digits,
    // "null" for what JSON cannot hold).
    std::string& o = m.Key("score");
    if (!std::isfinite(h.score)) {
      o.append("null");
    } else {
      char buf[64];
      char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, h.score);
      o.append(buf, size_t(end - buf));
    }
    m.End();
  }
  out.append("]}");
  return out;
}

}  // namespace cx
