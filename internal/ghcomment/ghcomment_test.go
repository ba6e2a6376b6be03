package ghcomment

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeGitHub keeps the comments of one pull request as GitHub's REST API
// does, a page of 100 at a time.
type fakeGitHub struct {
	mu        sync.Mutex
	comments  []comment
	next      int64
	calls     []string
	requested []map[string][]string
	reviews   []map[string]any
	members   map[string]bool // "team/login"
}

func (f *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, r.Method+" "+r.URL.Path)
	if r.Header.Get("Authorization") != "Bearer t0ken" {
		http.Error(w, `{"message": "Bad credentials"}`, 401)
		return
	}
	switch {
	case r.Method == "GET" && r.URL.Path == "/repos/acme/infra/issues/7/comments":
		page := 1
		fmt.Sscan(r.URL.Query().Get("page"), &page)
		lo, hi := (page-1)*100, page*100
		lo, hi = min(lo, len(f.comments)), min(hi, len(f.comments))
		json.NewEncoder(w).Encode(f.comments[lo:hi])
	case r.Method == "POST" && r.URL.Path == "/repos/acme/infra/issues/7/comments":
		var in comment
		json.NewDecoder(r.Body).Decode(&in)
		f.next++
		in.ID = 1000 + f.next
		f.comments = append(f.comments, in)
		w.WriteHeader(201)
		json.NewEncoder(w).Encode(in)
	case r.Method == "GET" && r.URL.Path == "/repos/acme/infra/pulls/7/reviews":
		json.NewEncoder(w).Encode(f.reviews)
	case r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/orgs/acme/teams/"):
		parts := strings.Split(r.URL.Path, "/") // /orgs/acme/teams/TEAM/memberships/LOGIN
		if len(parts) == 7 && f.members[parts[4]+"/"+parts[6]] {
			io.WriteString(w, `{"state": "active"}`)
			return
		}
		http.Error(w, `{"message": "Not Found"}`, 404)
	case r.Method == "POST" && r.URL.Path == "/repos/acme/infra/pulls/7/requested_reviewers":
		var in map[string][]string
		json.NewDecoder(r.Body).Decode(&in)
		f.requested = append(f.requested, in)
		w.WriteHeader(201)
		io.WriteString(w, "{}")
	case r.Method == "PATCH" && strings.HasPrefix(r.URL.Path, "/repos/acme/infra/issues/comments/"):
		var in comment
		json.NewDecoder(r.Body).Decode(&in)
		for i := range f.comments {
			if fmt.Sprint(f.comments[i].ID) == strings.TrimPrefix(r.URL.Path, "/repos/acme/infra/issues/comments/") {
				f.comments[i].Body = in.Body
				json.NewEncoder(w).Encode(f.comments[i])
				return
			}
		}
		http.Error(w, `{"message": "Not Found"}`, 404)
	default:
		http.Error(w, `{"message": "Not Found"}`, 404)
	}
}

// TestUpsertKeepsOneComment: the first run posts, later runs edit that
// comment, found past a first page of other people's comments; theirs are
// never touched; a body over GitHub's limit is cut, and said to be.
func TestUpsertKeepsOneComment(t *testing.T) {
	gh := &fakeGitHub{}
	for i := 0; i < 120; i++ { // a busy pull request: sgc's comment comes on page 2
		gh.comments = append(gh.comments, comment{ID: int64(i + 1), Body: fmt.Sprintf("review comment %d", i)})
	}
	srv := httptest.NewServer(gh)
	defer srv.Close()
	c := &Client{API: srv.URL, Repo: "acme/infra", Token: "t0ken"}
	ctx := context.Background()
	id, created, err := c.Upsert(ctx, 7, "**sgc diff**: web can newly reach db")
	if err != nil || !created {
		t.Fatalf("first run: %v created=%v", err, created)
	}
	again, created, err := c.Upsert(ctx, 7, "**sgc diff**: nothing widens")
	if err != nil || created || again != id {
		t.Fatalf("second run: id %d (first %d) created=%v %v", again, id, created, err)
	}
	ours := 0
	for i, cm := range gh.comments {
		if strings.HasPrefix(cm.Body, Marker) {
			ours++
			if !strings.HasSuffix(cm.Body, "nothing widens") {
				t.Errorf("sgc's comment: %q", cm.Body)
			}
		} else if cm.Body != fmt.Sprintf("review comment %d", i) {
			t.Errorf("someone else's comment changed: %q", cm.Body)
		}
	}
	if ours != 1 {
		t.Errorf("%d comments of sgc's, want 1", ours)
	}
	if _, _, err := c.Upsert(ctx, 7, strings.Repeat("é", MaxBody)); err != nil {
		t.Fatal(err)
	}
	for _, cm := range gh.comments {
		if strings.HasPrefix(cm.Body, Marker) && (len([]rune(cm.Body)) > MaxBody || !strings.Contains(cm.Body, "(cut:")) {
			t.Errorf("a long body: %d characters", len([]rune(cm.Body)))
		}
	}
	bad := &Client{API: srv.URL, Repo: "acme/infra", Token: "wrong"}
	if _, _, err := bad.Upsert(ctx, 7, "x"); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("bad credentials: %v", err)
	}
}

// TestRequestReviewers: owners are asked for review, users as reviewers
// and org/team owners as the organization's teams.
func TestRequestReviewers(t *testing.T) {
	gh := &fakeGitHub{}
	srv := httptest.NewServer(gh)
	defer srv.Close()
	c := &Client{API: srv.URL, Repo: "acme/infra", Token: "t0ken"}
	if err := c.RequestReviewers(context.Background(), 7, []string{"acme/dba", "alice", "acme/web-team"}); err != nil {
		t.Fatal(err)
	}
	if len(gh.requested) != 1 || fmt.Sprint(gh.requested[0]["reviewers"]) != "[alice]" || fmt.Sprint(gh.requested[0]["team_reviewers"]) != "[dba web-team]" {
		t.Errorf("requested %v", gh.requested)
	}
	if err := c.RequestReviewers(context.Background(), 7, nil); err != nil || len(gh.requested) != 1 {
		t.Errorf("no owners: %v, %d requests", err, len(gh.requested))
	}
}

// TestMissing: an owner's approval is a user's latest review APPROVED, or
// an APPROVED latest review by a member of the owning team; a later
// request for changes takes an approval back.
func TestMissing(t *testing.T) {
	review := func(login, state string) map[string]any {
		return map[string]any{"user": map[string]any{"login": login}, "state": state}
	}
	gh := &fakeGitHub{members: map[string]bool{"dba/bob": true}}
	gh.reviews = []map[string]any{review("alice", "APPROVED"), review("carol", "APPROVED"), review("carol", "CHANGES_REQUESTED"),
		review("bob", "COMMENTED"), review("bob", "APPROVED"), review("dave", "APPROVED")}
	srv := httptest.NewServer(gh)
	defer srv.Close()
	c := &Client{API: srv.URL, Repo: "acme/infra", Token: "t0ken"}
	missing, err := c.Missing(context.Background(), 7, []string{"alice", "carol", "acme/dba", "acme/web-team"})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(missing) != "[carol acme/web-team]" {
		t.Errorf("missing %v, want carol (changes requested last) and acme/web-team (no member approved)", missing)
	}
}
