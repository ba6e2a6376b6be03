package activity

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

// TestLookupAWS: events read through CloudTrail's LookupEvents (a server
// speaking its JSON protocol, two pages; moto has no LookupEvents) are the
// events of the log file, filtered to EC2 on the event source, in the time
// window asked.
func TestLookupAWS(t *testing.T) {
	data, err := os.ReadFile("testdata/trail.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Records []json.RawMessage }
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var asked []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".LookupEvents") {
			http.Error(w, "unexpected call "+r.Header.Get("X-Amz-Target"), 400)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var in map[string]any
		json.Unmarshal(body, &in)
		asked = append(asked, in)
		half := len(doc.Records) / 2
		recs, next := doc.Records[:half], "page-2"
		if in["NextToken"] == "page-2" {
			recs, next = doc.Records[half:], ""
		}
		var events []map[string]any
		for _, rec := range recs {
			events = append(events, map[string]any{"EventId": "x", "CloudTrailEvent": string(rec)})
		}
		out := map[string]any{"Events": events}
		if next != "" {
			out["NextToken"] = next
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		json.NewEncoder(w).Encode(out)
	}))
	defer srv.Close()
	t.Setenv("AWS_ENDPOINT_URL_CLOUDTRAIL", srv.URL)
	t.Setenv("AWS_ACCESS_KEY_ID", "x")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "y")
	t.Setenv("AWS_REGION", "eu-west-1")
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var got []*Event
	skipped, err := LookupAWS(context.Background(), LookupOptions{Since: 48 * time.Hour, Now: now}, func(e *Event) { got = append(got, e) })
	if err != nil {
		t.Fatal(err)
	}
	want, _ := events(t, data)
	if len(got) != len(want) || skipped != 1 || len(asked) != 2 {
		t.Fatalf("%d events (want %d), %d skipped, %d calls", len(got), len(want), skipped, len(asked))
	}
	attrs, _ := asked[0]["LookupAttributes"].([]any)
	if len(attrs) != 1 || !strings.Contains(string(must(json.Marshal(attrs[0]))), `"AttributeValue":"ec2.amazonaws.com"`) ||
		asked[0]["StartTime"] != float64(now.Add(-48*time.Hour).Unix()) {
		t.Errorf("asked %v", asked[0])
	}
	if _, err := LookupAWS(context.Background(), LookupOptions{Since: time.Hour, Now: now, MaxEvents: 3}, func(*Event) {}); err == nil || !strings.Contains(err.Error(), "more than 3 events") {
		t.Errorf("a bound of 3 events: %v", err)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
