// Package site builds and serves the playground: sgc compiled to
// WebAssembly (cmd/sgc-wasm) with Go's wasm_exec.js, beside the static
// page in playground/ and its editor (node_modules/codemirror, npm ci).
package site

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Build compiles cmd/sgc-wasm of the module at root into dir/sgc.wasm and
// copies the Go toolchain's wasm_exec.js beside it: the two files the
// page loads besides its own.
func Build(root, dir string) error {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("the playground is built with the Go toolchain, which is not on the PATH: %v", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cmd := exec.Command(goTool, "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, "sgc.wasm"), "./cmd/sgc-wasm")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building sgc.wasm: %v\n%s", err, out)
	}
	goroot, err := exec.Command(goTool, "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %v", err)
	}
	base := strings.TrimSpace(string(goroot))
	var js []byte
	for _, p := range []string{"lib/wasm/wasm_exec.js", "misc/wasm/wasm_exec.js"} { // Go 1.24 moved it
		if js, err = os.ReadFile(filepath.Join(base, p)); err == nil {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("wasm_exec.js is not in %s: %v", base, err)
	}
	return os.WriteFile(filepath.Join(dir, "wasm_exec.js"), js, 0o644)
}

// Handler serves the page from page (playground/) and the built files
// from built.
func Handler(page, built string) http.Handler {
	files := http.FileServer(http.Dir(page))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/sgc.wasm", "/wasm_exec.js":
			if r.URL.Path == "/sgc.wasm" {
				w.Header().Set("Content-Type", "application/wasm")
			}
			http.ServeFile(w, r, filepath.Join(built, filepath.Base(r.URL.Path)))
			return
		}
		files.ServeHTTP(w, r)
	})
}
