package main

// source-controller v1.7 (Flux 2.7, cosign v2): NewCosignVerifier with a
// public key, remote options and identities. Keyless trust comes from
// cosign's environment (SIGSTORE_ROOT_FILE, SIGSTORE_REKOR_PUBLIC_KEY,
// SIGSTORE_CT_LOG_PUBLIC_KEY_FILE): this release has no trusted-root option.

import (
	"context"

	"github.com/sigstore/cosign/v2/pkg/cosign"

	scosign "github.com/fluxcd/source-controller/internal/oci/cosign"
)

const generation = "v1.7"

func newVerifier(ctx context.Context, c config, publicKey []byte) (verifier, error) {
	opts := []scosign.Options{scosign.WithRemoteOptions(c.remote...)}
	if publicKey != nil {
		opts = append(opts, scosign.WithPublicKey(publicKey))
	} else {
		opts = append(opts, scosign.WithIdentities(identities(c)))
	}
	return scosign.NewCosignVerifier(ctx, opts...)
}

func identities(c config) []cosign.Identity {
	var out []cosign.Identity
	for i := range c.issuers {
		out = append(out, cosign.Identity{IssuerRegExp: c.issuers[i], SubjectRegExp: c.subjects[i]})
	}
	return out
}
