#include "ecs/deployment/detection/text_scan.h"

#include <vector>

namespace ecs_mcp::ecs::detection {

// Tries `match` with a cursor just after each occurrence of `needle` in `text` (and the
// occurrence's offset); the first non-empty answer, else "".
std::string first_match(std::string_view text, std::string_view needle, const Matcher& match) {
  for (size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + 1)) {
    Cursor c(text, at + needle.size());
    std::string m = match(c, at);
    if (!m.empty()) return m;
  }
  return "";
}

// The first run of digits, e.g. 18 in ">=18.0".
std::string first_number(std::string_view text) {
  auto at = std::find_if(text.begin(), text.end(), is_digit);
  return std::string(at, std::find_if_not(at, text.end(), is_digit));
}

// The first <digits>.<digits>, e.g. 3.3 in "ruby-3.3.0".
std::string first_major_minor(std::string_view text) {
  for (size_t at = 0; at < text.size();) {
    if (!is_digit(text[at])) {
      ++at;
      continue;
    }
    Cursor c(text, at);
    if (auto v = c.major_minor(); !v.empty()) return v;
    c.digits();
    at = c.at();  // a later start inside the same run of digits cannot match either
  }
  return "";
}

// The first "3.<digits>", e.g. 3.12 in "3.12.4".
std::string first_python3(std::string_view text) {
  return first_match(text, "3.", [](Cursor& c, size_t) {
    auto minor = c.digits();
    return minor.empty() ? std::string() : "3." + std::string(minor);
  });
}

// The first port number a source file suggests, e.g. listen(3000), PORT || 8080, port=5000;
// the patterns are tried in order, each over the whole text.
std::optional<int> port_in_source(const std::string& text) {
  const std::string folded = ascii_lower(text);
  auto port = [](Cursor& c) { return std::string(c.digits(2, 5)); };
  const std::vector<std::function<std::string()>> patterns = {
      // process.env.PORT || 3000, process.env.PORT ?? '3000'
      [&] {
        return first_match(text, "process.env.PORT", [&](Cursor& c, size_t) {
          c.spaces();
          if (!c.literal("||") && !c.literal("??")) return std::string();
          c.spaces();
          c.one_of(kQuotes);
          return port(c);
        });
      },
      // app.listen(3000
      [&] {
        return first_match(text, ".listen(", [&](Cursor& c, size_t) {
          c.spaces();
          return port(c);
        });
      },
      // getenv("PORT", "8080"): the default after the last comma before the closing parenthesis.
      [&] {
        return first_match(text, "getenv(", [&](Cursor& c, size_t) {
          c.spaces();
          if (!c.one_of(kQuotes) || !c.literal("PORT") || !c.one_of(kQuotes)) return std::string();
          size_t from = c.at();
          c.skip_until([](char ch) { return ch == ')'; });
          for (size_t comma = c.at(); comma-- > from;) {
            if (text[comma] != ',') continue;
            Cursor d(text, comma + 1);
            d.spaces();
            d.one_of(kQuotes);
            if (auto p = port(d); !p.empty()) return p;
          }
          return std::string();
        });
      },
      // port = 5000, PORT=8080 (a whole word, any case)
      [&] {
        return first_match(folded, "port", [&](Cursor& c, size_t at) {
          if (at > 0 && is_word(folded[at - 1])) return std::string();
          c.spaces();
          if (!c.literal("=")) return std::string();
          c.spaces();
          return port(c);
        });
      },
      // ":8080", '0.0.0.0:8080'
      [&] {
        return first_match(text, ":", [&](Cursor& c, size_t at) {
          bool quoted = (at >= 1 && kQuotes.find(text[at - 1]) != std::string_view::npos) ||
                        (at >= 8 && text.compare(at - 7, 7, "0.0.0.0") == 0 &&
                         kQuotes.find(text[at - 8]) != std::string_view::npos);
          if (!quoted) return std::string();
          std::string p = port(c);
          return c.one_of(kQuotes) ? p : std::string();
        });
      },
  };
  for (const auto& find : patterns) {
    std::string m = find();
    if (!m.empty()) {
      int p = std::stoi(m);
      if (p > 0 && p < 65536) return p;
    }
  }
  return std::nullopt;
}

}  // namespace ecs_mcp::ecs::detection
