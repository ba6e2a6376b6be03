// Package playground holds the browser test of the playground: the page,
// sgc.wasm and the editor, driven in a real headless Chromium (chromedp).
package playground

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/playground/site"
)

const mistake = `group web "Web servers"
group db "Order database"
web -> dbb tcp/5432 because "the web servers store orders"
`

// TestInChromium loads the page in headless Chromium, types a policy with
// a mistake (through the editor, as keystrokes), sees the diagnostic on
// line 3 and the line marked, fixes it, and sees the Terraform output
// hold the rule; the policy is in the URL's fragment, and a page opened on
// that URL holds it again. It records the wasm's size and the first
// compile's time.
func TestInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("builds sgc.wasm and starts Chromium")
	}
	chromium := testkit.Need(t, "chromium", "SGC_REQUIRE_BROWSER")
	if _, err := os.Stat("node_modules/codemirror/lib/codemirror.js"); err != nil {
		if os.Getenv("SGC_REQUIRE_BROWSER") != "" {
			t.Fatal("the editor is required (SGC_REQUIRE_BROWSER): npm ci in playground/")
		}
		t.Skip("the editor is not installed: npm ci in playground/")
	}
	t.Parallel()
	built := t.TempDir()
	if err := site.Build("..", built); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(filepath.Join(built, "sgc.wasm"))
	srv := httptest.NewServer(site.Handler(".", built))
	defer srv.Close()

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true))...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancelTime := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTime()

	var (
		diags, terraform, url, reopened string
		marked                          bool
		firstMs                         float64
	)
	actions := []chromedp.Action{
		chromedp.Navigate(srv.URL + "/index.html"),
		chromedp.WaitVisible(`body[data-ready="1"]`, chromedp.ByQuery),
		chromedp.Evaluate(`window.firstCompileMs`, &firstMs),
		// Clear the example, then type the policy into the editor, a line
		// at a time (a typed line break reaches CodeMirror twice, as a key
		// and as input: the editor's own command makes it once).
		chromedp.Evaluate(`editor.setValue(""); editor.focus(); true`, nil),
	}
	for _, line := range strings.SplitAfter(mistake, "\n") {
		if text := strings.TrimSuffix(line, "\n"); text != "" {
			actions = append(actions, chromedp.SendKeys(`.CodeMirror textarea`, text, chromedp.ByQuery))
		}
		if strings.HasSuffix(line, "\n") {
			actions = append(actions, chromedp.Evaluate(`editor.execCommand("newlineAndIndent"); true`, nil))
		}
	}
	err := chromedp.Run(ctx, append(actions,
		chromedp.Poll(`document.getElementById("diagnostics").textContent.includes("UnknownName")`, nil, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Text(`#diagnostics`, &diags, chromedp.ByQuery),
		chromedp.Evaluate(`editor.lineInfo(2).bgClass === "line-error"`, &marked),
	)...)
	if err != nil {
		t.Fatalf("the page: %v", err)
	}
	if !strings.Contains(diags, `3:8: error: unknown name "dbb". Did you mean "db"? [UnknownName]`) || !marked {
		t.Errorf("the diagnostic of the mistake: %q (line 3 marked: %v)", diags, marked)
	}
	// The fix: select the wrong name and type the right one.
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`editor.setSelection({line: 2, ch: 7}, {line: 2, ch: 10}); editor.focus(); true`, nil),
		chromedp.SendKeys(`.CodeMirror textarea`, "db", chromedp.ByQuery),
		chromedp.Poll(`document.getElementById("terraform").textContent.includes("aws_vpc_security_group_ingress_rule")`, nil, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Evaluate(`document.getElementById("terraform").textContent`, &terraform),
		chromedp.Location(&url),
	)
	if err != nil {
		t.Fatalf("the fix: %v", err)
	}
	if !regexp.MustCompile(`description\s+= "the web servers store orders"`).MatchString(terraform) || !regexp.MustCompile(`from_port\s+= 5432`).MatchString(terraform) {
		t.Errorf("the Terraform output lacks the rule:\n%s", terraform)
	}
	err = chromedp.Run(ctx,
		chromedp.Navigate(url),
		chromedp.Reload(),
		chromedp.WaitVisible(`body[data-ready="1"]`, chromedp.ByQuery),
		chromedp.Evaluate(`editor.getValue()`, &reopened),
	)
	if err != nil {
		t.Fatalf("the shared link: %v", err)
	}
	if reopened != strings.Replace(mistake, "dbb", "db", 1) {
		t.Errorf("the shared link holds:\n%s", reopened)
	}
	t.Logf("sgc.wasm: %d bytes; first compile in the page: %.1f ms", info.Size(), firstMs)
}
