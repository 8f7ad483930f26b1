package cosign

// Added by fleetpack's test oracle to its build copy of source-controller
// v1.8 (not part of Flux): a factory whose shared trusted material is
// already set, as NewCosignVerifier leaves it after fetching the public TUF
// root. Everything else, NewCosignVerifier and Verify included, is Flux's.

import (
	"time"

	"github.com/sigstore/sigstore-go/pkg/root"
)

func NewOracleFactory(trusted root.TrustedMaterial) *CosignVerifierFactory {
	return &CosignVerifierFactory{trustedMaterial: trusted, retryInterval: time.Minute}
}
