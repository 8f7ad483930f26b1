// Command fleetpack-oracle runs Flux source-controller's own cosign
// verification (internal/oci/cosign) the way the OCIRepository reconciler
// calls it for `provider: cosign`, and prints the verdict as JSON.
//
// It is fleetpack's test oracle, not part of fleetpack: scripts/build-flux-oracle.sh
// builds it inside a copy of the source-controller module at the release a
// Flux version pins (Go lets only code in that module import its internal/
// packages), together with one generation file (generation_v1_7.go, ...)
// that constructs the verifier as that release does.
//
//	fleetpack-oracle --ref HOST/REPO@sha256:... [--insecure]
//	    [--issuer RE --subject RE]...   keyless, one pair per matchOIDCIdentity entry
//	    [--key cosign.pub]...           the *.pub keys of a verify.secretRef
//	    [--trusted-root trusted_root.json]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	soci "github.com/fluxcd/source-controller/internal/oci"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

// config is what an OCIRepository's spec.verify (and spec.insecure) holds.
type config struct {
	issuers, subjects []string
	trustedRoot       []byte
	insecure          bool
	remote            []remote.Option
}

type verifier interface {
	Verify(ctx context.Context, ref name.Reference) (soci.VerificationResult, error)
}

func main() {
	var keys, issuers, subjects list
	ref := flag.String("ref", "", "the artifact, by digest (the reconciler resolves tags first)")
	trustedRoot := flag.String("trusted-root", "", "a trusted_root.json (verify.trustedRootSecretRef)")
	insecure := flag.Bool("insecure", false, "spec.insecure")
	flag.Var(&keys, "key", "a cosign public key file (repeatable)")
	flag.Var(&issuers, "issuer", "matchOIDCIdentity issuer regexp (repeatable)")
	flag.Var(&subjects, "subject", "matchOIDCIdentity subject regexp (repeatable)")
	flag.Parse()

	c := config{
		issuers:  issuers,
		subjects: subjects,
		insecure: *insecure,
		remote:   []remote.Option{remote.WithAuthFromKeychain(authn.DefaultKeychain)},
	}
	if *trustedRoot != "" {
		data, err := os.ReadFile(*trustedRoot)
		if err != nil {
			fail(err)
		}
		c.trustedRoot = data
	}
	var nameOpts []name.Option
	if *insecure {
		nameOpts = append(nameOpts, name.Insecure)
	}
	r, err := name.ParseReference(*ref, nameOpts...)
	if err != nil {
		fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err = verifySignature(ctx, r, c, keys)
	out := map[string]any{"generation": generation, "accepted": err == nil}
	if err != nil {
		out["error"] = err.Error()
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}

// verifySignature follows OCIRepositoryReconciler.verifySignature for
// provider cosign: with keys, each *.pub key in turn until one verifies;
// without, keyless with the matchOIDCIdentity entries.
func verifySignature(ctx context.Context, ref name.Reference, c config, keys []string) error {
	if len(keys) > 0 {
		for _, path := range keys {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			v, err := newVerifier(ctx, c, data)
			if err != nil {
				return err
			}
			result, err := v.Verify(ctx, ref)
			if err != nil || result == soci.VerificationResultFailed {
				continue
			}
			if result == soci.VerificationResultSuccess {
				return nil
			}
		}
		return fmt.Errorf("no matching signatures were found for '%s'", ref)
	}
	v, err := newVerifier(ctx, c, nil)
	if err != nil {
		return err
	}
	result, err := v.Verify(ctx, ref)
	if err != nil {
		return err
	}
	if result == soci.VerificationResultFailed {
		return fmt.Errorf("no matching signatures were found for '%s'", ref)
	}
	return nil
}

func fail(err error) {
	_ = json.NewEncoder(os.Stdout).Encode(map[string]any{"generation": generation, "accepted": false, "error": err.Error(), "setup": true})
	os.Exit(2)
}
