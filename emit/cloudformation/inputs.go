package cloudformation

import (
	"encoding/json"
	"fmt"

	"github.com/sgc-dev/sgc/compiler/model"
)

// ReadInputs reads the values a parameters file
// ([{"ParameterKey": "NameSecurityGroupId", "ParameterValue": "sg-..."}])
// gives the template's inputs, by the external each is for. Other
// parameters are left alone.
func ReadInputs(name string, data []byte, p *model.Program) (map[*model.External]string, error) {
	var params []struct {
		Key   string `json:"ParameterKey"`
		Value string `json:"ParameterValue"`
	}
	if err := json.Unmarshal(data, &params); err != nil {
		return nil, fmt.Errorf("%s: not a CloudFormation parameters file: %v", name, err)
	}
	values := map[string]string{}
	for _, kv := range params {
		values[kv.Key] = kv.Value
	}
	out := map[*model.External]string{}
	for x, param := range InputNames(p) {
		if v, ok := values[param]; ok {
			out[x] = v
		}
	}
	return out, nil
}
