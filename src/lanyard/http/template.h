// Server-rendered pages: a small template language (a subset of Mustache) over JSON values.
//
//   {{name}}            the value at `name` (dotted paths: {{org.name}}), HTML-escaped
//   {{#name}}...{{/name}} a section: repeated for each item of a list, rendered once with the
//                       value as the context for an object, once for any other truthy value
//   {{^name}}...{{/name}} rendered when `name` is missing, false, null, "" or an empty list
//   {{> partial}}       another template, rendered as if written here
//   {{! comment }}      nothing
//
// There is no way to write unescaped text: every value goes through HTML escaping, so a
// template cannot become the way staff data turns into markup. Names resolve in the innermost
// context first, then outwards, as in Mustache; "." is the current item.
//
// Templates are parsed once (Template::Parse refuses malformed ones: an unclosed section, a
// stray closing tag, an unknown partial when rendered) and rendered many times.
//
// Thread-safety: a parsed Template is immutable and may be rendered from many threads.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/result.h"
#include "lanyard/json/value.h"

namespace lanyard::http {

class Template {
 public:
  // Errors: kInvalidArgument "template.invalid" with the line of the problem.
  static Result<Template> Parse(std::string_view text, std::string_view name = "template");

  // The partials a render can include, by name.
  using Partials = std::function<const Template*(std::string_view name)>;
  // Errors: template.invalid for an unknown partial, partials nested over 16 deep, or a page
  // over 8 MB.
  Result<std::string> Render(const json::Value& context, const Partials& partials = {}) const;

  struct Node;  // parsed form (template.cc)
  const std::vector<Node>& nodes() const { return *nodes_; }

 private:
  std::string name_;
  std::shared_ptr<const std::vector<Node>> nodes_;
};

}  // namespace lanyard::http
