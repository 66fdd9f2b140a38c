#include "lanyard/formats/sdjwt/sd_jwt_vc.h"

#include "lanyard/crypto/key_encoding.h"
#include "lanyard/did/did_key.h"
#include "lanyard/formats/sdjwt/issuer_metadata.h"

namespace lanyard::formats::sdjwt {
namespace {

bool IsDid(std::string_view s) { return s.rfind("did:", 0) == 0; }

// Claims SD-JWT VC forbids making selectively disclosable.
constexpr std::string_view kNeverDisclosable[] = {"iss", "nbf", "exp", "cnf",
                                                  "vct", "vct#integrity", "status"};

Error Invalid(const char* reason, const std::string& message) {
  return MakeError(Code::kInvalidArgument, reason, message);
}

// The JWK thumbprint of the issuer's key, remembered per thread for the last key seen: an issuer
// signs thousands of credentials with one key, and the thumbprint costs a canonical JSON and a
// hash each time.
std::string KidThumbprint(const crypto::PublicKey& key) {
  thread_local crypto::KeyType last_type = crypto::KeyType::kEd25519;
  thread_local Bytes last_key;
  thread_local std::string last_thumbprint;
  if (last_key != key.raw() || last_type != key.type()) {
    last_thumbprint = crypto::JwkThumbprint(key);
    last_key = key.raw();
    last_type = key.type();
  }
  return last_thumbprint;
}

}  // namespace

Result<std::string> IssueSdJwtVc(json::Value payload, const VcIssueOptions& options,
                                 const crypto::Signer& signer) {
  if (!payload.is_object()) {
    return Invalid("sdjwt.payload_not_object", "an SD-JWT VC payload must be a JSON object");
  }
  if (payload.Find("vct") == nullptr) {
    return Invalid("sdjwt_vc.missing_claim", "an SD-JWT VC needs a credential type (vct)");
  }
  if (payload.FindString("vct") == nullptr) {
    return Invalid("sdjwt_vc.invalid_claim", "vct must be a string");
  }
  if (payload.Find("iss") == nullptr) {
    payload.Set("iss", did::DidKeyFromPublicKey(signer.public_key()));
  }
  if (payload.FindString("iss") == nullptr) {
    return Invalid("sdjwt_vc.invalid_claim", "iss must be a string");
  }
  // A copy: adding members below may move the payload's members.
  const std::string iss = *payload.FindString("iss");
  for (const char* name : {"iat", "exp", "nbf"}) {
    const json::Value* v = payload.Find(name);
    if (v != nullptr && !v->is_number()) {
      return Invalid("sdjwt_vc.invalid_claim", std::string(name) + " must be a NumericDate");
    }
  }
  if (payload.Find("iat") == nullptr) {
    payload.Set("iat", static_cast<double>(ToUnixSeconds(options.now)));
  }
  if (payload.Find("exp") == nullptr) {
    double iat = payload.Find("iat")->as_number();
    payload.Set("exp", iat + static_cast<double>(options.max_lifetime.count()));
  }

  IssueOptions sd;
  sd.typ = std::string(kSdJwtVcTyp);
  sd.disclosable = options.disclosable;
  static constexpr std::string_view kNeverDisclosable[] = {"iss", "nbf",           "exp",   "cnf",
                                                           "vct", "vct#integrity", "status"};
  sd.never_disclosable = kNeverDisclosable;
  sd.decoys_per_object = options.decoys_per_object;
  sd.holder_key = options.holder_key;
  sd.salt = options.salt;
  if (options.kid) {
    sd.kid = options.kid;
  } else if (iss.rfind("did:key:", 0) == 0 &&
             iss == did::DidKeyFromPublicKey(signer.public_key())) {
    sd.kid = did::DidKeyMethodId(signer.public_key());
  } else if (!IsDid(iss)) {
    sd.kid = KidThumbprint(signer.public_key());  // how issuer metadata names the key
  }
  if (IsDid(iss) && (!sd.kid || sd.kid->rfind(iss + "#", 0) != 0)) {
    return Invalid("sdjwt_vc.kid_not_of_issuer",
                   "the issuer " + iss.substr(0, 100) +
                       " is a DID, so the signing key must be named by a DID URL of it (kid)");
  }
  return IssueSdJwt(std::move(payload), sd, signer);
}

IssuerKeyLookup MakeIssuerKeyLookup(const IssuerKeySources& sources, TimePoint now) {
  return [sources, now](const json::Value& header,
                        const json::Value& payload) -> Result<crypto::PublicKey> {
    const std::string* typ = header.FindString("typ");
    if (typ == nullptr || (*typ != kSdJwtVcTyp && *typ != "vc+sd-jwt")) {
      return Invalid("sdjwt_vc.wrong_typ",
                     "the token's typ is not dc+sd-jwt, so it is not an SD-JWT VC");
    }
    const std::string* iss = payload.FindString("iss");
    if (iss == nullptr) {
      return Invalid("sdjwt_vc.missing_claim", "the credential does not say who issued it (iss)");
    }
    const std::string* kid = header.FindString("kid");
    if (const json::Value* x5c = header.Find("x5c")) {
      if (sources.anchors == nullptr) {
        return Invalid("sdjwt_vc.no_key_source",
                       "the issuer's key comes in a certificate chain, and no trust anchors are "
                       "configured");
      }
      std::vector<std::string> chain;
      bool well_formed = x5c->is_array();
      if (well_formed) {
        for (const auto& c : x5c->as_array()) {
          well_formed = well_formed && c.is_string();
          if (c.is_string()) chain.push_back(c.as_string());
        }
      }
      if (!well_formed) {
        return Invalid("x5c.malformed", "the x5c header must be a list of base64 certificates");
      }
      crypto::X5cOptions x5c_options;
      x5c_options.now = now;
      if (IsDid(*iss)) {
        return Invalid("sdjwt_vc.kid_not_of_issuer",
                       "a DID issuer's key is found from its DID, not a certificate");
      }
      // The host as a URL parser reads it: "https://a.example:1@nhs.uk" names nhs.uk, and is
      // refused outright rather than matched against a certificate for a.example.
      LANYARD_ASSIGN_OR_RETURN(std::string host, IssuerUrlHost(*iss));
      x5c_options.expected_uri = *iss;
      x5c_options.expected_dns_name = host;
      auto by_uri = crypto::X5cOptions(x5c_options);
      by_uri.expected_dns_name.reset();
      auto key = crypto::VerifyX5cChain(chain, *sources.anchors, by_uri);
      if (key.ok() || key.error().reason != "x5c.name_mismatch") return key;
      auto by_dns = crypto::X5cOptions(x5c_options);
      by_dns.expected_uri.reset();
      return crypto::VerifyX5cChain(chain, *sources.anchors, by_dns);
    }
    if (IsDid(*iss)) {
      if (sources.resolver == nullptr) {
        return Invalid("sdjwt_vc.no_key_source", "no DID resolver is configured");
      }
      if (kid == nullptr || kid->rfind(*iss + "#", 0) != 0) {
        return Invalid("sdjwt_vc.kid_not_of_issuer",
                       "the header kid must be a DID URL of the issuer " + iss->substr(0, 100));
      }
      LANYARD_ASSIGN_OR_RETURN(did::VerificationMethod method,
                               did::DereferenceMethod(*sources.resolver, *kid, "assertionMethod"));
      return method.key;
    }
    if (sources.http == nullptr) {
      return Invalid("sdjwt_vc.no_key_source",
                     "the issuer's key must be fetched from its metadata, and this verifier has no "
                     "network access configured");
    }
    std::optional<std::string_view> wanted;
    if (kid != nullptr) wanted = *kid;
    return ResolveIssuerKeyFromMetadata(*sources.http, *iss, wanted);
  };
}

std::optional<VerifiedSdJwt> VerifySdJwtVc(std::string_view text, const IssuerKeySources& sources,
                                           const VerifyOptions& options,
                                           verify::VerificationReport* report) {
  auto result = VerifySdJwt(text, MakeIssuerKeyLookup(sources, options.now), options, report);
  if (!result) return result;
  const json::Value& claims = result->claims;
  // A disclosure may not carry these: a holder could then withhold an expiry or a status, or
  // choose which of several to show.
  for (const std::string& path : result->disclosed) {
    for (std::string_view name : kNeverDisclosable) {
      if (path == name) {
        report->Fail("sdjwt_vc.claim_disclosed",
                     "The claim \"" + path +
                         "\" arrived as a selective disclosure, which SD-JWT VC forbids: the "
                         "holder could have withheld or chosen it.",
                     "sd-jwt");
      }
    }
  }
  if (claims.FindString("vct") == nullptr) {
    report->Fail("sdjwt_vc.missing_claim", "The credential has no type (vct).", "sd-jwt");
  } else {
    report->Pass("sdjwt_vc.type", "The credential's type is " + *claims.FindString("vct") + ".",
                 "sd-jwt");
  }
  if (const json::Value* cnf = claims.Find("cnf")) {
    const json::Value* jwk = cnf->Find("jwk");
    if (jwk == nullptr || !crypto::PublicKeyFromJwk(*jwk).ok()) {
      report->Fail("sdjwt_vc.invalid_cnf", "The holder key (cnf.jwk) is missing or unusable.",
                   "sd-jwt");
    }
  }
  report->SetClaims(claims);
  const std::string* iss = claims.FindString("iss");
  report->Pass("issuer.is_signer",
               "The issuer " + (iss ? *iss : std::string("?")) + " signed it with its own key.",
               "sd-jwt");
  return result;
}

}  // namespace lanyard::formats::sdjwt
