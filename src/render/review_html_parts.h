// The pieces the weekly pack's HTML is written with (render/review_html.cc and its sections in
// other files, such as render/review_voice_html.cc): escaping, times, the section/table writer
// and the cells of numbers and IDs, so every section looks and prints the same.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include "base/text.h"
#include "base/time.h"
#include "render/review_format.h"
#include "service/review_service.h"

namespace cx::review_html {

inline std::string Esc(const std::string& s) { return HtmlEscape(s); }

// "2026-10-25 13:57" as HTML that may break between the day and the time, never inside either.
inline std::string T(Timestamp t, const Zone& z) {
  std::string s = FormatTime(t, z);
  if (s.size() < 16) return Esc(s);
  return "<span class=\"nw\">" + s.substr(0, 10) + "</span> <span class=\"nw\">" + s.substr(11, 5) +
         "</span>";
}
inline std::string T(const std::optional<Timestamp>& t, const Zone& z) {
  return t ? T(*t, z) : "—";
}

// The page being written: sections (<section id> with their <h2>) and their tables.
class Html {
 public:
  void Raw(const std::string& s) { out_ += s; }
  // Closes the open section and opens `id` with its title.
  void Section(const std::string& id, const std::string& title) {
    if (open_) out_ += "</section>\n";
    out_ += "<section id=\"" + id + "\"><h2>" + Esc(title) + "</h2>\n";
    open_ = true;
  }
  // Column titles; a title starting with '#' is a number column (right-aligned).
  void Head(std::initializer_list<std::string> cols) {
    out_ += "<table><thead><tr>";
    for (const auto& c : cols) {
      out_ += c.starts_with("#") ? "<th class=\"num\">" + Esc(c.substr(1)) + "</th>"
                                 : "<th>" + Esc(c) + "</th>";
    }
    out_ += "</tr></thead><tbody>\n";
  }
  // Cells already written as HTML (use Esc, T, Id, Num).
  void Row(std::initializer_list<std::string> cells) {
    out_ += "<tr>";
    for (const auto& c : cells) out_ += c.starts_with("<td") ? c : "<td>" + c + "</td>";
    out_ += "</tr>\n";
  }
  void End() { out_ += "</tbody></table>\n"; }
  // A line saying there is nothing to list.
  void Empty(const std::string& s) { out_ += "<p class=\"muted\">" + Esc(s) + "</p>\n"; }
  // The page so far, its last section closed.
  std::string Finish() {
    if (open_) out_ += "</section>\n";
    open_ = false;
    return out_;
  }

 private:
  std::string out_;
  bool open_ = false;
};

// An ID cell (never broken), a number cell (right-aligned), a count with separators, and a text
// that shows "—" when empty.
inline std::string Id(const std::string& id) { return "<td class=\"id\">" + Esc(id) + "</td>"; }
inline std::string Num(const std::string& s) { return "<td class=\"num\">" + Esc(s) + "</td>"; }
inline std::string N(int64_t n) { return FormatGrouped(n); }
inline std::string OrDash(const std::string& s) { return s.empty() ? "—" : Esc(s); }

// The voice-of-the-customer section (<section id="voice">: NPS and CSAT by division, the emotion
// curves drawn as inline SVG, the touchpoint ranking, the key results), in
// render/review_voice_html.cc.
void VoiceSection(Html& h, const ReviewPack& p);
// The staff's feedback on the hub (kind hub), a part of the adoption section.
void HubFeedbackPart(Html& h, const ReviewPack& p, const Zone& zone);

}  // namespace cx::review_html
