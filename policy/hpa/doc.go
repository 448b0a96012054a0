// Package hpa is the Kubernetes HorizontalPodAutoscaler (autoscaling/v2) as
// its v1.35 controller runs it (HPA), as a scenario writes it (HPASpec,
// whose tags are its settings' one declaration), and the first article's
// plain "hold Utilization at a target" scaler built on it (Target). Each
// implements policy.Config and runs on every engine through policy.Policy;
// its runs explain their last decision (policy.Explainer).
package hpa
