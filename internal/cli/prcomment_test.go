package cli_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPRComment: pr-comment posts its input to the pull request through
// the API the environment names, with the token; without a token, a
// repository of owner/name form or a number it is bad usage.
func TestPRComment(t *testing.T) {
	var posted, requested string
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
		case r.Method == "POST" && r.URL.Path == "/repos/acme/infra/pulls/42/requested_reviewers":
			data, _ := io.ReadAll(r.Body)
			requested = string(data)
			w.WriteHeader(201)
			io.WriteString(w, "{}")
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
	// The owners a diff's JSON lists are asked for review; an owner not
	// in the language's form never reaches the API.
	review := filepath.Join(t.TempDir(), "review.json")
	os.WriteFile(review, []byte(`{"approvals": [{"owner": "acme/dba", "changes": ["added web -> db tcp/6379"]}, {"owner": "alice", "changes": []}]}`), 0o644)
	if r := run(t, "x", "pr-comment", "-", "--pr", "42", "--request-reviewers", review); r.code != 0 || requested != `{"reviewers":["alice"],"team_reviewers":["dba"]}` {
		t.Errorf("reviewers: exit %d %s; requested %s", r.code, r.stderr, requested)
	}
	os.WriteFile(review, []byte(`{"approvals": [{"owner": "../../orgs/x"}]}`), 0o644)
	if r := run(t, "x", "pr-comment", "-", "--pr", "42", "--request-reviewers", review); r.code != 2 || !strings.Contains(r.stderr, "is neither a GitHub user nor an org/team") {
		t.Errorf("a hostile owner: exit %d %s", r.code, r.stderr)
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

// TestPRApproved: exit 0 once every owner the diff lists has approved, 1
// naming those who have not.
func TestPRApproved(t *testing.T) {
	reviews := `[{"user": {"login": "alice"}, "state": "APPROVED"}]`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/repos/acme/infra/pulls/42/reviews":
			io.WriteString(w, reviews)
		case r.URL.Path == "/orgs/acme/teams/dba/memberships/bob":
			io.WriteString(w, `{"state": "active"}`)
		default:
			http.Error(w, "{}", 404)
		}
	}))
	defer srv.Close()
	t.Setenv("GITHUB_API_URL", srv.URL)
	t.Setenv("GITHUB_REPOSITORY", "acme/infra")
	t.Setenv("GITHUB_TOKEN", "t0ken")
	review := filepath.Join(t.TempDir(), "review.json")
	os.WriteFile(review, []byte(`{"approvals": [{"owner": "acme/dba"}, {"owner": "alice"}]}`), 0o644)
	if r := run(t, "", "pr-approved", review, "--pr", "42"); r.code != 1 || !strings.Contains(r.stdout, "not yet approved by: acme/dba") {
		t.Errorf("before bob approves: exit %d %s%s", r.code, r.stdout, r.stderr)
	}
	reviews = `[{"user": {"login": "alice"}, "state": "APPROVED"}, {"user": {"login": "bob"}, "state": "APPROVED"}]`
	if r := run(t, "", "pr-approved", review, "--pr", "42"); r.code != 0 {
		t.Errorf("after bob approves: exit %d %s%s", r.code, r.stdout, r.stderr)
	}
}
