//go:build !unix

package fsutil

import "os"

// keepOwner does nothing where files have no Unix owner.
func keepOwner(f *os.File, info os.FileInfo) error { return nil }

// KeepOwner does nothing where files have no Unix owner.
func KeepOwner(f *os.File, info os.FileInfo) error { return nil }
