package cli

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/sgc-dev/sgc/playground/site"
)

const playgroundDoc = `Playground serves the playground on this machine: the page in the
repository's playground/ directory, with sgc compiled to WebAssembly by
your Go toolchain (run it in a checkout, after npm ci in playground/ for the
editor). Everything runs in the browser: check, the Terraform and
CloudFormation outputs, the graph and why; the policy is kept in the URL's
fragment, so the address shares it.`

func newPlaygroundCmd(e *env) *cobra.Command {
	var addr, dir string
	cmd := &cobra.Command{
		Use:     "playground [--addr 127.0.0.1:8080] [--dir playground]",
		Short:   "Serve the browser playground locally",
		Long:    playgroundDoc,
		Example: "  (cd playground && npm ci) && sgc playground\n  sgc playground --addr 127.0.0.1:9000",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			page, err := filepath.Abs(dir)
			if err != nil {
				return &exitError{Code: ExitUsage, Err: err}
			}
			if _, err := os.Stat(filepath.Join(page, "index.html")); err != nil {
				return usageErrorf("%s holds no playground (index.html): run sgc playground in a checkout of sgc, or give --dir", dir)
			}
			if _, err := os.Stat(filepath.Join(page, "node_modules", "codemirror")); err != nil {
				return usageErrorf("the editor is not installed: run npm ci in %s", dir)
			}
			built, err := os.MkdirTemp("", "sgc-playground-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(built)
			fmt.Fprintln(e.stderr, "playground: building sgc.wasm…")
			if err := site.Build(filepath.Dir(page), built); err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return &exitError{Code: ExitUsage, Err: err}
			}
			fmt.Fprintf(e.stderr, "playground: http://%s/ (Ctrl-C stops it)\n", ln.Addr())
			srv := &http.Server{Handler: site.Handler(page, built), ReadHeaderTimeout: 10 * time.Second}
			return srv.Serve(ln)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "the address to serve on (loopback by default)")
	cmd.Flags().StringVar(&dir, "dir", "playground", "the playground's page: playground/ of a checkout")
	return cmd
}
