// XML response bodies (Query and EC2 protocols) as nlohmann::json, shaped like botocore's
// parsed output.
//
// XML alone cannot say that an element is a list with one member, an empty list, or a
// number; botocore knows from the service model. XmlShapeHints carries that knowledge for
// the operations this project calls, by element name (the service clients fill it in from
// botocore's models). Without hints, <member>/<item> children still become arrays and
// <entry><key/><value/></entry> children become objects, so unknown operations degrade to
// strings rather than failing.
//
// Thread-safety: pure functions; hints are read-only.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

namespace ecs_mcp::aws::protocols {

struct XmlShapeHints {
  std::set<std::string> lists;     // element names of list shapes: empty -> []
  std::set<std::string> maps;      // element names of map shapes: empty -> {}
  std::set<std::string> integers;  // converted when the text is an integer
  std::set<std::string> booleans;  // "true"/"false"
  std::set<std::string> doubles;
  // EC2: element names are lowerCamelCase; botocore's keys are the member names. Keys not
  // listed here are capitalised when `capitalize` is set.
  std::map<std::string, std::string> renames;
  // "ParentKey/element" -> key, for the rare element whose member name depends on where it
  // sits (EC2's NetworkInterface.TagSet vs. everyone else's Tags).
  std::map<std::string, std::string> renames_in_context;
  bool capitalize = false;
  std::string list_member = "member";  // "item" for EC2
};

// Converts a document element's children to a JSON object, recursively.
// Returns nullopt when `xml` does not parse or nests elements deeper than any AWS response.
std::optional<nlohmann::json> xml_to_json(const std::string& xml, const XmlShapeHints& hints,
                                          std::string* root_name = nullptr);

}  // namespace ecs_mcp::aws::protocols
