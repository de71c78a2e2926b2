//go:build tools

// Package tools pins the MinIO client mc (github.com/minio/mc, AGPL-3.0) that build.sh compiles as a separate,
// unmodified test program; it is never built itself and never linked into kubemesh.
package tools

import _ "github.com/minio/mc"
