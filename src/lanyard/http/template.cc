#include "lanyard/http/template.h"

#include <cmath>
#include <cstdio>

#include "lanyard/core/encoding.h"
#include "lanyard/core/text.h"

namespace lanyard::http {

struct Template::Node {
  enum class Kind { kText, kValue, kSection, kInverted, kPartial };
  Kind kind = Kind::kText;
  std::string text;  // literal text, or the tag's name
  std::vector<Node> children;
};

namespace {

constexpr size_t kMaxDepth = 16;
constexpr size_t kMaxTemplateBytes = 1 << 20;
// Sections over long lists and nested partials multiply: a page is refused past this size
// rather than built without end.
constexpr size_t kMaxOutputBytes = 8 << 20;

Error Invalid(std::string_view name, size_t line, std::string message) {
  return MakeError(Code::kInvalidArgument, "template.invalid",
                   std::string(name) + ":" + std::to_string(line) + ": " + std::move(message));
}

bool ValidName(std::string_view s) {
  if (s.empty() || s.size() > 100) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Looks `name` up in the context stack, innermost first; "." is the innermost context itself.
const json::Value* Lookup(const std::vector<const json::Value*>& stack, std::string_view name) {
  if (name == ".") return stack.back();
  std::string_view first = name.substr(0, name.find('.'));
  for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
    if (!(*it)->is_object()) continue;
    const json::Value* v = (*it)->Find(std::string(first));
    if (v == nullptr) continue;
    std::string_view rest = first.size() < name.size() ? name.substr(first.size() + 1) : "";
    while (!rest.empty() && v != nullptr) {
      std::string_view part = rest.substr(0, rest.find('.'));
      v = v->is_object() ? v->Find(std::string(part)) : nullptr;
      rest = part.size() < rest.size() ? rest.substr(part.size() + 1) : "";
    }
    return v;
  }
  return nullptr;
}

bool Truthy(const json::Value* v) {
  if (v == nullptr || v->is_null()) return false;
  if (v->is_bool()) return v->as_bool();
  if (v->is_string()) return !v->as_string().empty();
  if (v->is_array()) return !v->as_array().empty();
  return true;
}

void AppendValue(const json::Value* v, std::string& out) {
  if (v == nullptr || v->is_null()) return;
  if (v->is_string()) {
    out += HtmlEscape(v->as_string());
  } else if (v->is_bool()) {
    out += v->as_bool() ? "true" : "false";
  } else if (v->is_number()) {
    double d = v->as_number();
    char buf[32];
    if (std::fabs(d) < 1e15 && d == std::floor(d)) {
      std::snprintf(buf, sizeof buf, "%.0f", d);
    } else {
      std::snprintf(buf, sizeof buf, "%g", d);
    }
    out += buf;
  }
  // Objects and lists have no text of their own.
}

struct Renderer {
  const Template::Partials& partials;
  std::vector<const json::Value*> stack;
  std::string out;
  size_t depth = 0;

  Status Run(const std::vector<Template::Node>& nodes);
};

}  // namespace

Result<Template> Template::Parse(std::string_view text, std::string_view name) {
  if (text.size() > kMaxTemplateBytes) return Invalid(name, 1, "a template is at most 1 MB");
  // A stack of open sections: the node lists being filled, innermost last.
  std::vector<Node> root;
  struct Open {
    std::vector<Node>* children;
    std::string name;
    size_t line;
  };
  std::vector<Open> open;
  std::vector<Node>* current = &root;
  size_t line = 1, pos = 0;
  while (pos < text.size()) {
    size_t tag = text.find("{{", pos);
    std::string_view literal =
        text.substr(pos, tag == std::string_view::npos ? text.npos : tag - pos);
    if (!literal.empty()) {
      current->push_back(Node{Node::Kind::kText, std::string(literal), {}});
      for (char c : literal) line += c == '\n' ? 1 : 0;
    }
    if (tag == std::string_view::npos) break;
    size_t end = text.find("}}", tag + 2);
    if (end == std::string_view::npos) return Invalid(name, line, "a tag is not closed with }}");
    std::string_view inside = text.substr(tag + 2, end - tag - 2);
    for (char c : inside) line += c == '\n' ? 1 : 0;
    pos = end + 2;
    if (inside.empty()) return Invalid(name, line, "an empty tag");
    const char sigil = inside.front();
    if (sigil == '!') continue;  // a comment
    std::string_view tag_name = TrimBlanks(
        sigil == '#' || sigil == '^' || sigil == '/' || sigil == '>' ? inside.substr(1) : inside);
    if (!ValidName(tag_name)) {
      return Invalid(
          name, line,
          "\"" + std::string(tag_name.substr(0, 40)) + "\" is not a name (letters, digits, _ - .)");
    }
    switch (sigil) {
      case '#':
      case '^': {
        if (open.size() >= kMaxDepth) return Invalid(name, line, "sections nest over 16 deep");
        current->push_back(Node{sigil == '#' ? Node::Kind::kSection : Node::Kind::kInverted,
                                std::string(tag_name),
                                {}});
        open.push_back(Open{current, std::string(tag_name), line});
        current = &current->back().children;
        break;
      }
      case '/': {
        if (open.empty() || open.back().name != tag_name) {
          return Invalid(name, line, "{{/" + std::string(tag_name) + "}} closes no open section");
        }
        current = open.back().children;
        open.pop_back();
        break;
      }
      case '>':
        current->push_back(Node{Node::Kind::kPartial, std::string(tag_name), {}});
        break;
      default:
        current->push_back(Node{Node::Kind::kValue, std::string(tag_name), {}});
    }
  }
  if (!open.empty()) {
    return Invalid(name, open.back().line, "{{#" + open.back().name + "}} is never closed");
  }
  Template t;
  t.name_ = std::string(name);
  t.nodes_ = std::make_shared<const std::vector<Node>>(std::move(root));
  return t;
}

namespace {

Status Renderer::Run(const std::vector<Template::Node>& nodes) {
  using Kind = Template::Node::Kind;
  for (const Template::Node& n : nodes) {
    if (out.size() > kMaxOutputBytes) {
      return MakeError(Code::kInvalidArgument, "template.invalid", "the page is over 8 MB");
    }
    switch (n.kind) {
      case Kind::kText:
        out += n.text;
        break;
      case Kind::kValue:
        AppendValue(Lookup(stack, n.text), out);
        break;
      case Kind::kInverted:
        if (!Truthy(Lookup(stack, n.text))) LANYARD_TRY(Run(n.children));
        break;
      case Kind::kSection: {
        const json::Value* v = Lookup(stack, n.text);
        if (!Truthy(v)) break;
        if (v->is_array()) {
          for (const json::Value& item : v->as_array()) {
            stack.push_back(&item);
            Status s = Run(n.children);
            stack.pop_back();
            LANYARD_TRY(std::move(s));
          }
        } else {
          stack.push_back(v);
          Status s = Run(n.children);
          stack.pop_back();
          LANYARD_TRY(std::move(s));
        }
        break;
      }
      case Kind::kPartial: {
        const Template* partial = partials ? partials(n.text) : nullptr;
        if (partial == nullptr) {
          return MakeError(Code::kInvalidArgument, "template.invalid",
                           "no partial template \"" + n.text + "\"");
        }
        if (++depth > kMaxDepth) {
          return MakeError(Code::kInvalidArgument, "template.invalid",
                           "partials nest over 16 deep (a partial including itself?)");
        }
        Status s = Run(partial->nodes());
        --depth;
        LANYARD_TRY(std::move(s));
        break;
      }
    }
  }
  return {};
}

}  // namespace

Result<std::string> Template::Render(const json::Value& context, const Partials& partials) const {
  Renderer r{partials, {&context}, {}, 0};
  LANYARD_TRY(r.Run(*nodes_));
  return std::move(r.out);
}

}  // namespace lanyard::http
