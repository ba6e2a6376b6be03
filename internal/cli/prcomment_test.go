package cli_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestPRComment: pr-comment posts its input to the pull request through
// the API the environment names, with the token; without a token, a
// repository of owner/name form or a number it is bad usage.
func TestPRComment(t *testing.T) {
	var posted string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Header.Get("Authorization") != "Bearer t0ken":
			http.Error(w, "{}", 401)
		case r.Method == "GET":
			io.WriteString(w, "[]")
		case r.Method == "POST" && r.URL.Path == "/repos/acme/infra/issues/42/comments":
			var in struct{ Body string }
			json.NewDecoder(r.Body).Decode(&in)
			posted = in.Body
			w.WriteHeader(201)
			io.WriteString(w, `{"id": 7}`)
		default:
			http.Error(w, "{}", 404)
		}
	}))
	defer srv.Close()
	t.Setenv("GITHUB_API_URL", srv.URL)
	t.Setenv("GITHUB_REPOSITORY", "acme/infra")
	t.Setenv("GITHUB_TOKEN", "t0ken")
	r := run(t, "**sgc diff**: web can newly reach db\n", "pr-comment", "-", "--pr", "42")
	if r.code != 0 || !strings.Contains(r.stderr, "posted comment 7 on acme/infra#42") || !strings.HasSuffix(posted, "**sgc diff**: web can newly reach db\n") {
		t.Errorf("exit %d: %s; posted %q", r.code, r.stderr, posted)
	}
	for _, tc := range []struct {
		env, value string
		args       []string
		want       string
	}{
		{"GITHUB_TOKEN", "", []string{"--pr", "42"}, "GITHUB_TOKEN is not set"},
		{"GITHUB_REPOSITORY", "acme/infra/../../x", []string{"--pr", "42"}, "want owner/name"},
		{"GITHUB_REPOSITORY", "acme/infra", []string{"--pr", "0"}, "the pull request's number"},
	} {
		t.Setenv(tc.env, tc.value)
		if r := run(t, "x", append([]string{"pr-comment", "-"}, tc.args...)...); r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%s=%q: exit %d, want 2 saying %q: %s", tc.env, tc.value, r.code, tc.want, r.stderr)
		}
		t.Setenv("GITHUB_TOKEN", "t0ken")
	}
}
