// A second registry implementation for the tests and the benchmark:
// go-containerregistry's pkg/registry (what `crane registry serve` runs),
// at the version Flux's source-controller v1.9.5 builds with. Unlike CNCF
// distribution 2.8, it stores a blob sent in a single POST (?digest=) and
// serves the OCI referrers API, so fleetpack's single-request uploads and
// referrer reads meet a real server, not only an in-process fake.
//
// Usage: ggcr-registry [dir]   (blobs on disk under dir; in memory without it)
// Prints "listening on 127.0.0.1:PORT" on stderr once it accepts connections.
package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/google/go-containerregistry/pkg/registry"
)

func main() {
	options := []registry.Option{
		registry.Logger(log.New(io.Discard, "", 0)),
		registry.WithReferrersSupport(true),
	}
	if len(os.Args) > 1 {
		options = append(options, registry.WithBlobHandler(registry.NewDiskBlobHandler(os.Args[1])))
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "listening on %s\n", listener.Addr())
	if err := http.Serve(listener, registry.New(options...)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
