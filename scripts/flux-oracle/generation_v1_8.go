package main

// source-controller v1.8 (Flux 2.8, cosign v3): the verifier factory and
// the bundle path. Its keyless trusted material comes only from the public
// TUF repository, so the build copy gains one function in the verifier's
// package (oracle_factory_v1_8.go) that seeds the factory's shared trusted
// material with a local trusted root; NewCosignVerifier and Verify run as
// released. The legacy keys (Rekor, CT log, Fulcio roots) come from cosign's
// environment, as in v1.7.

import (
	"context"
	"fmt"

	"github.com/sigstore/cosign/v3/pkg/cosign"
	"github.com/sigstore/sigstore-go/pkg/root"

	scosign "github.com/fluxcd/source-controller/internal/oci/cosign"
)

const generation = "v1.8"

func newVerifier(ctx context.Context, c config, publicKey []byte) (verifier, error) {
	opts := []scosign.Options{scosign.WithRemoteOptions(c.remote...)}
	if publicKey != nil {
		opts = append(opts, scosign.WithPublicKey(publicKey))
		return scosign.NewCosignVerifierFactory().NewCosignVerifier(ctx, opts...)
	}
	opts = append(opts, scosign.WithIdentities(identities(c)))
	if c.trustedRoot == nil {
		return nil, fmt.Errorf("the v1.8 oracle needs --trusted-root (it stands in for the public TUF root)")
	}
	trusted, err := root.NewTrustedRootFromJSON(c.trustedRoot)
	if err != nil {
		return nil, err
	}
	return scosign.NewOracleFactory(trusted).NewCosignVerifier(ctx, opts...)
}

func identities(c config) []cosign.Identity {
	var out []cosign.Identity
	for i := range c.issuers {
		out = append(out, cosign.Identity{IssuerRegExp: c.issuers[i], SubjectRegExp: c.subjects[i]})
	}
	return out
}
