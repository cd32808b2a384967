#include "agent/sse.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace ecs_mcp::agent {
namespace {

using Events = std::vector<std::pair<std::string, std::string>>;

Events parse_in_pieces(const std::string& body, size_t piece) {
  SseParser parser;
  Events events;
  auto on = [&](const std::string& e, const std::string& d) { events.emplace_back(e, d); };
  for (size_t i = 0; i < body.size(); i += piece) parser.feed(body.substr(i, piece), on);
  parser.finish(on);
  return events;
}

TEST(SseParser, EventsSurviveAnySplit) {
  const std::string body =
      ": comment\r\nevent: message_start\r\ndata: {\"a\":1}\r\n\r\ndata: one\ndata: two\n\nevent: "
      "x\ndata:tail";
  const Events expected{{"message_start", "{\"a\":1}"}, {"message", "one\ntwo"}, {"x", "tail"}};
  for (size_t piece : {1u, 2u, 3u, 7u, 1000u})
    EXPECT_EQ(parse_in_pieces(body, piece), expected) << piece;
}

}  // namespace
}  // namespace ecs_mcp::agent
