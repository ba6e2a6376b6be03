// Package activity reads who changed security groups, from CloudTrail:
// the log files CloudTrail delivers to S3 (a JSON document with a Records
// list, gzip-compressed or not), streamed a record at a time so that
// memory grows with the security group events, not with the log. Events
// from failed calls (errorCode) are kept apart: they changed nothing.
package activity

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// Event is one CloudTrail record of a security group API call.
type Event struct {
	Time      time.Time `json:"eventTime"`
	Source    string    `json:"eventSource"`
	Name      string    `json:"eventName"`
	Region    string    `json:"awsRegion"`
	SourceIP  string    `json:"sourceIPAddress"`
	ID        string    `json:"eventID"`
	ErrorCode string    `json:"errorCode"`
	Identity  struct {
		Type           string `json:"type"`
		ARN            string `json:"arn"`
		SessionContext struct {
			SessionIssuer struct {
				ARN string `json:"arn"`
			} `json:"sessionIssuer"`
		} `json:"sessionContext"`
	} `json:"userIdentity"`
	Request  json.RawMessage `json:"requestParameters"`
	Response json.RawMessage `json:"responseElements"`

	parsed *parsedEvent // read once, by target
}

// Principal is who made the call: the role behind an assumed-role
// session, else the caller's ARN.
func (e *Event) Principal() string {
	if arn := e.Identity.SessionContext.SessionIssuer.ARN; arn != "" {
		return arn
	}
	return e.Identity.ARN
}

// Calls are the EC2 actions on security groups that activity reads.
var Calls = map[string]bool{
	"AuthorizeSecurityGroupIngress": true, "AuthorizeSecurityGroupEgress": true,
	"RevokeSecurityGroupIngress": true, "RevokeSecurityGroupEgress": true,
	"ModifySecurityGroupRules":                   true,
	"UpdateSecurityGroupRuleDescriptionsIngress": true, "UpdateSecurityGroupRuleDescriptionsEgress": true,
	"CreateSecurityGroup": true, "DeleteSecurityGroup": true,
	"CreateTags": true, "DeleteTags": true,
}

// Read streams the records of one CloudTrail log file (gzip or plain
// JSON) and calls each for every security group call of EC2 in it.
// skipped counts records it could not read, which are not fatal; a
// document that is not a CloudTrail log is an error.
func Read(r io.Reader, each func(*Event)) (skipped int, err error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return 0, fmt.Errorf("not a CloudTrail log: %v", err)
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	bounded := &perRecord{r: br}
	dec := json.NewDecoder(bounded)
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return 0, errors.New("not a CloudTrail log: a log file is a JSON object with a Records list")
	}
	found := false
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return skipped, fmt.Errorf("not a CloudTrail log: %v", err)
		}
		if key != "Records" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return skipped, fmt.Errorf("not a CloudTrail log: %v", err)
			}
			continue
		}
		found = true
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return skipped, errors.New("not a CloudTrail log: Records is not a list")
		}
		for dec.More() {
			var raw json.RawMessage
			bounded.since = 0
			if err := dec.Decode(&raw); err != nil {
				return skipped, fmt.Errorf("the log is cut short or not JSON: %v", err)
			}
			var e Event
			if err := json.Unmarshal(raw, &e); err != nil {
				skipped++
				continue
			}
			if e.Source == "ec2.amazonaws.com" && Calls[e.Name] {
				each(&e)
			}
		}
		if _, err := dec.Token(); err != nil {
			return skipped, fmt.Errorf("the log is cut short: %v", err)
		}
	}
	if !found {
		return skipped, errors.New("not a CloudTrail log: no Records list")
	}
	return skipped, nil
}

// MaxRecord bounds one record, in bytes: CloudTrail's events are at most
// 256 KB, so a larger one is not CloudTrail's, and is not held in memory.
const MaxRecord = 4 << 20

// perRecord fails a read once more than MaxRecord bytes have been read
// since the record began (since is reset before each record).
type perRecord struct {
	r     io.Reader
	since int
}

func (p *perRecord) Read(b []byte) (int, error) {
	remaining := MaxRecord - p.since
	if remaining <= 0 {
		return 0, fmt.Errorf("a record larger than %d bytes: not a CloudTrail event", MaxRecord)
	}
	if len(b) > remaining {
		b = b[:remaining]
	}
	n, err := p.r.Read(b)
	p.since += n
	return n, err
}
