// Property test: Lanyard's RFC 8785 canonical form agrees byte for byte with the npm
// `canonicalize` package (4.0.0, run by peer.mjs) on random documents drawn to be hard:
// astral-plane and private-use keys, empty keys, every escape, random-bit doubles, integers
// beyond 2^53, and nesting up to the parser's depth limit.
//
//   jcs_property --peer tests/interop/peer.mjs [--count N] [--seed S]
// Prints the seed first, so any failure can be replayed with --seed.
#include <unistd.h>

#include <bit>
#include <charconv>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "lanyard/core/utf8.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"

namespace {

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  // One JSON text on one line (no raw CR/LF anywhere).
  std::string Document() {
    std::string out;
    int mode = Pick(10);
    if (mode == 0) {
      DeepValue(&out, 1 + Pick(128));
    } else {
      Object(&out, 0, 2 + Pick(5));
    }
    return out;
  }

 private:
  uint32_t Pick(uint32_t n) { return std::uniform_int_distribution<uint32_t>(0, n - 1)(rng_); }
  bool Chance(int percent) { return Pick(100) < static_cast<uint32_t>(percent); }

  void Space(std::string* out) {
    static const char* kSpaces[] = {"", "", "", " ", "\t", "  "};
    *out += kSpaces[Pick(6)];
  }

  // Nesting to exactly `depth` containers, the deepest the parser allows being 128.
  void DeepValue(std::string* out, int depth) {
    std::vector<char> closers;
    for (int i = 0; i < depth; ++i) {
      if (Chance(50)) {
        *out += '[';
        closers.push_back(']');
      } else {
        *out += "{";
        String(out, true);
        *out += ":";
        closers.push_back('}');
      }
    }
    Scalar(out);
    while (!closers.empty()) {
      *out += closers.back();
      closers.pop_back();
    }
  }

  void Value(std::string* out, int depth, int budget) {
    int kind = Pick(depth > 6 ? 5 : 8);
    if (kind < 5) {
      Scalar(out);
    } else if (kind < 7) {
      Object(out, depth + 1, budget);
    } else {
      Array(out, depth + 1, budget);
    }
  }

  void Object(std::string* out, int depth, int budget) {
    *out += '{';
    int n = static_cast<int>(Pick(static_cast<uint32_t>(budget) + 1));
    std::vector<std::string> keys;
    for (int i = 0; i < n; ++i) {
      std::string key;
      String(&key, true);
      // Keys must be unique after unescaping: compare their parsed forms.
      auto parsed = lanyard::json::Parse(key);
      if (!parsed.ok()) continue;
      bool dup = false;
      for (const auto& k : keys) dup = dup || k == parsed->as_string();
      if (dup) continue;
      keys.push_back(parsed->as_string());
      if (!keys.empty() && keys.size() > 1) *out += ',';
      Space(out);
      *out += key;
      Space(out);
      *out += ':';
      Space(out);
      Value(out, depth, budget > 1 ? budget - 1 : 1);
    }
    *out += '}';
  }

  void Array(std::string* out, int depth, int budget) {
    *out += '[';
    int n = static_cast<int>(Pick(static_cast<uint32_t>(budget) + 1));
    for (int i = 0; i < n; ++i) {
      if (i > 0) *out += ',';
      Space(out);
      Value(out, depth, budget > 1 ? budget - 1 : 1);
    }
    *out += ']';
  }

  void Scalar(std::string* out) {
    switch (Pick(7)) {
      case 0:
        *out += Chance(50) ? "true" : (Chance(50) ? "false" : "null");
        return;
      case 1:
      case 2:
        String(out, false);
        return;
      default:
        Number(out);
        return;
    }
  }

  void Escape(std::string* s, uint32_t unit) {
    char buf[8];
    std::snprintf(buf, sizeof buf, Chance(50) ? "\\u%04x" : "\\u%04X", unit);
    *s += buf;
  }

  uint32_t CodePoint() {
    switch (Pick(9)) {
      case 0:
        return 0x20 + Pick(0x5f);  // printable ASCII
      case 1:
        return Pick(0x20);  // control characters (escaped)
      case 2:
        return 0x10000 + Pick(0x100000);  // astral planes
      case 3:
        return 0xE000 + Pick(0x1900);  // BMP private use
      case 4:
        return 0xF0000 + Pick(0x20000);  // supplementary private use
      case 5:
        return 0xFFF0 + Pick(0x10);  // specials near the top of the BMP
      case 6:
        return 0x80 + Pick(0x780);  // Latin and friends
      case 7: {
        uint32_t cp = 0x800 + Pick(0xD000 - 0x800);  // the rest of the BMP below surrogates
        return cp;
      }
      default: {
        static const uint32_t kTricky[] = {'"',    '\\',    '/',    0x7f,   0x2028,  0x2029,
                                           0xFEFF, 0x1F600, 0xE000, 0xD7FF, 0x10FFFF};
        return kTricky[Pick(sizeof kTricky / sizeof kTricky[0])];
      }
    }
  }

  // A JSON string literal; keys are short and sometimes empty.
  void String(std::string* out, bool key) {
    *out += '"';
    int n = key ? static_cast<int>(Pick(4)) : static_cast<int>(Pick(12));
    for (int i = 0; i < n; ++i) {
      uint32_t cp = CodePoint();
      int style = Pick(4);
      if (cp == '"' || cp == '\\' || cp < 0x20) style = cp < 0x20 || Chance(50) ? 0 : 1;
      if (style == 0) {
        static const std::pair<uint32_t, const char*> kShort[] = {
            {'"', "\\\""}, {'\\', "\\\\"}, {'/', "\\/"},  {'\b', "\\b"},
            {'\f', "\\f"}, {'\n', "\\n"},  {'\r', "\\r"}, {'\t', "\\t"}};
        bool done = false;
        for (auto [c, e] : kShort) {
          if (c == cp && Chance(70)) {
            *out += e;
            done = true;
            break;
          }
        }
        if (done) continue;
        if (cp >= 0x10000) {
          uint32_t v = cp - 0x10000;
          Escape(out, 0xD800 + (v >> 10));
          Escape(out, 0xDC00 + (v & 0x3FF));
        } else {
          Escape(out, cp);
        }
      } else if (cp == '"' || cp == '\\') {
        *out += '\\';
        out->push_back(static_cast<char>(cp));
      } else {
        lanyard::AppendUtf8(cp, out);
      }
    }
    *out += '"';
  }

  void Number(std::string* out) {
    char buf[64];
    switch (Pick(6)) {
      case 0: {  // any finite double, from random bits
        double d;
        do {
          d = std::bit_cast<double>(static_cast<uint64_t>(rng_()));
        } while (!std::isfinite(d));
        auto r = Chance(50)
                     ? std::to_chars(buf, buf + sizeof buf, d)
                     : std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific, 17);
        out->append(buf, r.ptr);
        return;
      }
      case 1: {  // integers around and beyond 2^53
        uint64_t v = (uint64_t{1} << 53) + (rng_() % 100000) - 50000;
        if (Chance(50)) v = rng_();
        if (Chance(30)) *out += '-';
        *out += std::to_string(v);
        if (Chance(30)) *out += std::to_string(Pick(100000));  // beyond 2^64 too
        return;
      }
      case 2: {  // decimal text with an exponent, in every spelling
        if (Chance(30)) *out += '-';
        *out += std::to_string(1 + Pick(9));
        if (Chance(60)) {
          *out += '.';
          for (int i = 0, n = 1 + Pick(20); i < n; ++i) *out += static_cast<char>('0' + Pick(10));
        }
        *out += Chance(50) ? 'e' : 'E';
        int e = static_cast<int>(Pick(640)) - 340;  // to the edge of underflow; no overflow
        if (e < 0)
          *out += '-';
        else if (Chance(50))
          *out += '+';
        if (Chance(20)) *out += '0';
        *out += std::to_string(e < 0 ? -e : e);
        return;
      }
      case 3: {
        static const char* kEdge[] = {"-0",
                                      "0",
                                      "-0.0",
                                      "1e21",
                                      "1e20",
                                      "1e-7",
                                      "1e-6",
                                      "0.1",
                                      "5e-324",
                                      "1.7976931348623157e308",
                                      "2.2250738585072014e-308",
                                      "123456789012345678901",
                                      "9007199254740993",
                                      "333333333.33333329",
                                      "1E400",
                                      "4.5"};
        const char* e = kEdge[Pick(sizeof kEdge / sizeof kEdge[0])];
        *out += std::string_view(e) == "1E400" ? "1E-400" : e;
        return;
      }
      default: {  // small integers and fractions
        int v = static_cast<int>(Pick(2000000)) - 1000000;
        *out += std::to_string(v);
        if (Chance(40)) *out += "." + std::to_string(Pick(1000));
        return;
      }
    }
  }

  std::mt19937_64 rng_;
};

}  // namespace

int main(int argc, char** argv) {
  std::string peer;
  long count = 100000;
  uint64_t seed =
      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--peer")
      peer = argv[i + 1];
    else if (flag == "--count")
      count = std::strtol(argv[i + 1], nullptr, 10);
    else if (flag == "--seed")
      seed = std::strtoull(argv[i + 1], nullptr, 10);
  }
  if (const char* env_seed = std::getenv("LANYARD_SEED"))
    seed = std::strtoull(env_seed, nullptr, 10);
  if (peer.empty()) {
    std::cerr << "usage: jcs_property --peer PATH/peer.mjs [--count N] [--seed S]\n";
    return 2;
  }
  if (std::getenv("LANYARD_JCS_DUMP") != nullptr) {  // show what the generator draws
    Generator sample(seed);
    for (long i = 0; i < count; ++i) std::printf("%s\n", sample.Document().c_str());
    return 0;
  }
  std::printf("jcs_property: seed %" PRIu64 " (replay with --seed %" PRIu64 "), %ld documents\n",
              seed, seed, count);
  std::fflush(stdout);

  char dir_template[] = "/tmp/lanyard-jcs-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) {
    std::perror("mkdtemp");
    return 2;
  }
  std::string dir = dir_template;
  std::string in_path = dir + "/in.jsonl", out_path = dir + "/out.jsonl";

  Generator gen(seed);
  std::vector<std::string> docs, ours;
  docs.reserve(count);
  ours.reserve(count);
  {
    std::ofstream in(in_path, std::ios::binary);
    for (long i = 0; i < count; ++i) {
      docs.push_back(gen.Document());
      auto parsed = lanyard::json::Parse(docs.back());
      if (!parsed.ok()) {
        std::printf("FAIL: Lanyard refused generated document %ld: %s\n%s\n", i,
                    parsed.error().ToString().c_str(), docs.back().c_str());
        return 1;
      }
      ours.push_back(lanyard::json::Canonicalize(*parsed).value());
      in << docs.back() << '\n';
    }
  }
  std::string command = "node '" + peer + "' canon < '" + in_path + "' > '" + out_path + "'";
  int rc = std::system(command.c_str());
  auto cleanup = [&] {
    std::remove(in_path.c_str());
    std::remove(out_path.c_str());
    rmdir(dir.c_str());
  };
  if (rc != 0) {
    std::printf("FAIL: the peer exited with status %d (%s)\n", rc, command.c_str());
    cleanup();
    return 1;
  }
  std::ifstream out(out_path, std::ios::binary);
  std::string line;
  long i = 0, mismatches = 0;
  while (std::getline(out, line)) {
    if (i >= count) break;
    if (line != ours[i]) {
      if (++mismatches <= 5) {
        std::printf("MISMATCH document %ld\n  input: %s\n  lanyard: %s\n  peer:    %s\n", i,
                    docs[i].c_str(), ours[i].c_str(), line.c_str());
      }
    }
    ++i;
  }
  cleanup();
  if (i != count) {
    std::printf("FAIL: the peer answered %ld of %ld documents\n", i, count);
    return 1;
  }
  if (mismatches > 0) {
    std::printf("FAIL: %ld of %ld documents canonicalised differently (seed %" PRIu64 ")\n",
                mismatches, count, seed);
    return 1;
  }
  std::printf("PASS: %ld documents canonicalised identically by Lanyard and canonicalize 4.0.0\n",
              count);
  return 0;
}
