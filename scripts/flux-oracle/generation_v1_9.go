package main

// source-controller v1.9 (Flux 2.9, cosign v3): the verifier factory with
// WithTrustedRoot (verify.trustedRootSecretRef), WithInsecure for bundle
// discovery, as the reconciler passes them.

import (
	"context"

	"github.com/sigstore/cosign/v3/pkg/cosign"

	scosign "github.com/fluxcd/source-controller/internal/oci/cosign"
)

const generation = "v1.9"

func newVerifier(ctx context.Context, c config, publicKey []byte) (verifier, error) {
	opts := []scosign.Options{scosign.WithRemoteOptions(c.remote...), scosign.WithInsecure(c.insecure)}
	if c.trustedRoot != nil {
		opts = append(opts, scosign.WithTrustedRoot(c.trustedRoot))
	}
	if publicKey != nil {
		opts = append(opts, scosign.WithPublicKey(publicKey))
	} else {
		opts = append(opts, scosign.WithIdentities(identities(c)))
	}
	return scosign.NewCosignVerifierFactory().NewCosignVerifier(ctx, opts...)
}

func identities(c config) []cosign.Identity {
	var out []cosign.Identity
	for i := range c.issuers {
		out = append(out, cosign.Identity{IssuerRegExp: c.issuers[i], SubjectRegExp: c.subjects[i]})
	}
	return out
}
