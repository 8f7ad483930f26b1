// Command fleetpack-untar extracts a Flux artifact layer with Flux's own
// code, as source-controller's OCIRepository reconciler does
// (fluxcd/pkg/tar Untar with no size limit and symlinks skipped):
//
//	fleetpack-untar LAYER.tar.gz DIR
//
// Part of fleetpack's test oracle, built by scripts/build-flux-oracle.sh
// against the fluxcd/pkg/tar version source-controller v1.9.5 requires.
package main

import (
	"fmt"
	"os"

	"github.com/fluxcd/pkg/tar"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: fleetpack-untar LAYER.tar.gz DIR")
		os.Exit(2)
	}
	layer, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer layer.Close()
	if err := tar.Untar(layer, os.Args[2], tar.WithMaxUntarSize(-1), tar.WithSkipSymlinks()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
