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

# SD-JWT helpers: a token split at "~" into `p`; dec decodes base64url JSON.

# sd_get FILE EXPR: evaluates EXPR over an SD-JWT split at "~" (`p`), with dec(b64u) -> JSON,
# hdr(jws) / pay(jws) -> the decoded header / payload of a compact JWS and srt(v) -> v with
# object members sorted at every level.
sd_get() {
  node -e 'const p = require("fs").readFileSync(process.argv[1], "utf8").trim().split("~");
           const dec = (s) => JSON.parse(Buffer.from(s, "base64url").toString("utf8"));
           const hdr = (j) => dec(j.split(".")[0]);
           const pay = (j) => dec(j.split(".")[1]);
           const srt = (v) => Array.isArray(v) ? v.map(srt)
             : v !== null && typeof v === "object"
               ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, srt(v[k])])) : v;
           const v = (0, eval)("(p, dec, hdr, pay, srt) => " + process.argv[2])(p, dec, hdr, pay, srt);
           process.stdout.write(typeof v === "string" ? v : JSON.stringify(v));' "$1" "$2"
}

# sd_edit IN OUT STATEMENT: OUT = IN split at "~" into `p` (with dec as in sd_get), edited,
# joined again; OUT is left empty when that fails, so that the check reading it fails.
sd_edit() {
  node -e 'const fs = require("fs");
           const p = fs.readFileSync(process.argv[1], "utf8").trim().split("~");
           const dec = (s) => JSON.parse(Buffer.from(s, "base64url").toString("utf8"));
           (0, eval)("(p, dec) => { " + process.argv[3] + " }")(p, dec);
           fs.writeFileSync(process.argv[2], p.join("~") + "\n");' "$1" "$2" "$3" ||
    : >"$2"
}

# json_sorted FILE EXPR: like json_get, with object members sorted at every level (a canonical
# form for comparing claim sets whatever order each side wrote them in).
json_sorted() {
  node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
           const sort = (v) => Array.isArray(v) ? v.map(sort)
             : v !== null && typeof v === "object"
               ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])])) : v;
           process.stdout.write(JSON.stringify(sort((0, eval)("(d) => " + process.argv[2])(d))));' "$1" "$2"
}

# Changes one character in the middle of the signature of the compact JWS at p[INDEX].
tamper_sig() { # IN OUT INDEX
  sd_edit "$1" "$2" "const j = p[$3].split('.'); const s = j[2];
    j[2] = s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11); p[$3] = j.join('.');"
}
