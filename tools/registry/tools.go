//go:build tools

// Package tools pins the CNCF distribution registry (github.com/distribution/distribution/v3, Apache-2.0)
// that build.sh compiles for kubemesh-registry's real-engine tests; it is never built itself.
package tools

import _ "github.com/distribution/distribution/v3/cmd/registry"
