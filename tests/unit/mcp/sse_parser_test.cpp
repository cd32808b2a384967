#include "mcp/sse_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ecs_mcp::mcp {
namespace {

std::vector<SseEvent> parse_in_pieces(const std::string& stream, size_t piece) {
  std::vector<SseEvent> events;
  SseParser parser([&](const SseEvent& e) {
    events.push_back(e);
    return true;
  });
  for (size_t i = 0; i < stream.size(); i += piece)
    parser.feed(std::string_view(stream).substr(i, piece));
  return events;
}

TEST(SseParserTest, ParsesEventsAcrossArbitraryChunkBoundaries) {
  const std::string stream =
      "\xEF\xBB\xBF: comment\n"
      "event: message\r\ndata: {\"a\":1}\r\n\r\n"
      "data: line one\rdata:line two\r\rid: 42\n"
      "data: x\n\n"
      "event: other\ndata: y\n\n"
      "data: unfinished";
  for (size_t piece : {1u, 2u, 3u, 7u, 1000u}) {
    auto events = parse_in_pieces(stream, piece);
    ASSERT_EQ(events.size(), 4u) << "piece " << piece;
    EXPECT_EQ(events[0].type, "message");
    EXPECT_EQ(events[0].data, "{\"a\":1}");
    EXPECT_EQ(events[1].data, "line one\nline two");
    EXPECT_EQ(events[2].data, "x");
    EXPECT_EQ(events[2].id, "42");
    EXPECT_EQ(events[3].type, "other");
  }
}

TEST(SseParserTest, SinkCanStopTheStream) {
  int seen = 0;
  SseParser parser([&](const SseEvent&) { return ++seen < 1; });
  EXPECT_FALSE(parser.feed("data: 1\n\ndata: 2\n\n"));
  EXPECT_EQ(seen, 1);
}

TEST(SseParserTest, EventWithoutDataIsNotDispatched) {
  auto events = parse_in_pieces("event: ping\n\nretry: 10\n\n", 4);
  EXPECT_TRUE(events.empty());
}

}  // namespace
}  // namespace ecs_mcp::mcp
