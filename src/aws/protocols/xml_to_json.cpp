#include "aws/protocols/xml_to_json.h"

#include <cctype>
#include <cstdlib>
#include <pugixml.hpp>

namespace ecs_mcp::aws::protocols {
namespace {

using nlohmann::json;

// No AWS response nests elements more than a few levels deep. A deeper document (from an
// endpoint override or a proxy) is refused before the recursive conversion could exhaust the
// stack; pugixml's own parsing and traversal do not recurse.
constexpr int kMaxElementDepth = 100;

class DepthCheck : public pugi::xml_tree_walker {
 public:
  bool for_each(pugi::xml_node&) override {
    too_deep = depth() > kMaxElementDepth;
    return !too_deep;
  }
  bool too_deep = false;
};

bool has_element_children(const pugi::xml_node& node) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element) return true;
  }
  return false;
}

bool all_children_named(const pugi::xml_node& node, const std::string& name) {
  bool any = false;
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    if (name != child.name()) return false;
    any = true;
  }
  return any;
}

std::string json_key(const std::string& element, const std::string& parent_key,
                     const XmlShapeHints& hints) {
  if (auto it = hints.renames_in_context.find(parent_key + "/" + element);
      it != hints.renames_in_context.end()) {
    return it->second;
  }
  if (auto it = hints.renames.find(element); it != hints.renames.end()) return it->second;
  if (hints.capitalize && !element.empty()) {
    std::string key = element;
    key[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(key[0])));
    return key;
  }
  return element;
}

json scalar(const std::string& name, const std::string& text, const XmlShapeHints& hints) {
  if (hints.booleans.count(name) && (text == "true" || text == "false")) return text == "true";
  if (hints.integers.count(name) && !text.empty()) {
    char* end = nullptr;
    long long value = std::strtoll(text.c_str(), &end, 10);
    if (end != nullptr && *end == '\0') return value;
  }
  if (hints.doubles.count(name) && !text.empty()) {
    char* end = nullptr;
    double value = std::strtod(text.c_str(), &end);
    if (end != nullptr && *end == '\0') return value;
  }
  return text;
}

json convert(const pugi::xml_node& node, const std::string& key, const XmlShapeHints& hints);

json convert_children(const pugi::xml_node& node, const std::string& key,
                      const XmlShapeHints& hints) {
  json object = json::object();
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    std::string child_key = json_key(child.name(), key, hints);
    object[child_key] = convert(child, child_key, hints);
  }
  return object;
}

json convert(const pugi::xml_node& node, const std::string& key, const XmlShapeHints& hints) {
  const std::string name = node.name();
  const bool is_list = hints.lists.count(name) > 0;
  const bool is_map = hints.maps.count(name) > 0;
  if (!has_element_children(node)) {
    if (is_list) return json::array();
    if (is_map) return json::object();
    return scalar(name, node.text().as_string(), hints);
  }
  if (is_list || all_children_named(node, hints.list_member)) {
    json array = json::array();
    for (pugi::xml_node child : node.children()) {
      if (child.type() != pugi::node_element) continue;
      // Members carry the list's key as context: a struct in "NetworkInterfaces" is a
      // NetworkInterface wherever its list sits.
      array.push_back(convert(child, key, hints));
    }
    return array;
  }
  if (is_map || all_children_named(node, "entry")) {
    json object = json::object();
    for (pugi::xml_node entry : node.children("entry")) {
      pugi::xml_node value = entry.child("value");
      object[entry.child("key").text().as_string()] = has_element_children(value)
                                                          ? convert_children(value, key, hints)
                                                          : json(value.text().as_string());
    }
    return object;
  }
  return convert_children(node, key, hints);
}

}  // namespace

std::optional<json> xml_to_json(const std::string& xml, const XmlShapeHints& hints,
                                std::string* root_name) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) return std::nullopt;
  pugi::xml_node root = doc.document_element();
  if (!root) return std::nullopt;
  DepthCheck depth;
  if (!doc.traverse(depth) || depth.too_deep) return std::nullopt;
  if (root_name != nullptr) *root_name = root.name();
  return convert_children(root, "", hints);
}

}  // namespace ecs_mcp::aws::protocols
