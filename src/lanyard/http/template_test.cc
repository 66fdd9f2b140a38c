#include "lanyard/http/template.h"

#include <gtest/gtest.h>

#include <map>

#include "lanyard/json/parser.h"
#include "lanyard/testing/matchers.h"

namespace lanyard::http {
namespace {

using ::lanyard::testing::ErrorIs;
using ::lanyard::testing::IsOk;

std::string Render(std::string_view text, std::string_view context_json,
                   const Template::Partials& partials = {}) {
  auto t = Template::Parse(text);
  EXPECT_THAT(t, IsOk());
  auto r = t->Render(json::Parse(context_json).value(), partials);
  EXPECT_THAT(r, IsOk());
  return r.ok() ? *r : "";
}

TEST(Template, ValuesAreAlwaysEscaped) {
  EXPECT_EQ(Render("<p>{{name}}</p>", R"({"name":"<script>alert('x')</script> & co"})"),
            "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co</p>");
  EXPECT_EQ(Render("{{ org.name }} {{count}} {{missing}}", R"({"org":{"name":"RGT"},"count":3})"),
            "RGT 3 ");
}

TEST(Template, SectionsRepeatOrNestAndInvertedSectionsShowAbsence) {
  const char* text =
      "{{#credentials}}<li>{{type}} for {{person}}</li>{{/credentials}}"
      "{{^credentials}}<p>None yet.</p>{{/credentials}}{{#org}}[{{ods}}]{{/org}}";
  EXPECT_EQ(Render(text, R"({"person":"Amara","credentials":[{"type":"dbs"},{"type":"identity"}],
                            "org":{"ods":"RGT"}})"),
            "<li>dbs for Amara</li><li>identity for Amara</li>[RGT]");
  EXPECT_EQ(Render(text, R"({"credentials":[]})"), "<p>None yet.</p>");
  EXPECT_EQ(Render("{{#ok}}yes{{/ok}}{{^ok}}no{{/ok}}", R"({"ok":false})"), "no");
  EXPECT_EQ(Render("{{#items}}{{.}},{{/items}}", R"({"items":["a","<b>"]})"), "a,&lt;b&gt;,");
}

TEST(Template, PartialsSeeTheWholeContext) {
  auto header = Template::Parse("<h1>{{title}}</h1>{{#user}}{{name}}{{/user}}");
  ASSERT_THAT(header, IsOk());
  Template::Partials partials = [&](std::string_view name) -> const Template* {
    return name == "header" ? &*header : nullptr;
  };
  EXPECT_EQ(Render("{{> header}}<main>{{body}}</main>",
                   R"({"title":"Passport","user":{"name":"Amara"},"body":"hi"})", partials),
            "<h1>Passport</h1>Amara<main>hi</main>");
  auto t = Template::Parse("{{> nowhere}}");
  EXPECT_THAT(t->Render(json::Value(json::Object{}), partials), ErrorIs("template.invalid"));
  // A partial including itself stops instead of recursing without end.
  auto loop = Template::Parse("x{{> loop}}");
  Template::Partials self = [&](std::string_view) -> const Template* { return &*loop; };
  EXPECT_THAT(loop->Render(json::Value(json::Object{}), self), ErrorIs("template.invalid"));
}

TEST(Template, RefusesMalformedTemplatesNamingTheLine) {
  for (const char* bad : {"{{#a}}never closed", "{{/a}}", "{{#a}}{{/b}}", "{{name", "{{}}",
                          "{{not a name}}", "{{{raw}}}"}) {
    EXPECT_THAT(Template::Parse(bad), ErrorIs("template.invalid")) << bad;
  }
  auto t = Template::Parse("line one\nline two {{#open}}", "page.html");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("page.html:2:"), std::string::npos) << t.error().message;
}

}  // namespace
}  // namespace lanyard::http
