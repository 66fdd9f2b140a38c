# JSON helpers over Node.js for the interop shell tests (source it after tests/harness.sh).

# json_get FILE EXPR: evaluates a JavaScript expression over the parsed file bound to `d`.
json_get() {
  node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
           const v = (0, eval)("(d) => " + process.argv[2])(d);
           process.stdout.write(typeof v === "string" ? v : JSON.stringify(v));' "$1" "$2"
}

# json_edit IN OUT STATEMENT: OUT = IN with a JavaScript statement applied to `d`.
json_edit() {
  node -e 'const fs = require("fs");
           const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
           (0, eval)("(d) => { " + process.argv[3] + " }")(d);
           fs.writeFileSync(process.argv[2], JSON.stringify(d, null, 2) + "\n");' "$1" "$2" "$3" ||
    : >"$2"   # an empty file: the check that reads it fails and shows why
}
