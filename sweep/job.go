package sweep

import (
	"fmt"
	"path"
	"regexp"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// JobOptions describe a sweep run as a Kubernetes Indexed Job: Shards pods,
// pod i running shard i/Shards of the scenario and writing its part to a
// volume they share.
type JobOptions struct {
	Name        string // the Job's name (a DNS label)
	Image       string // an image with the boxes binary at /boxes (see the Dockerfile)
	Scenario    string // the scenario file's path inside the pod
	Shards      int    // completions: one pod per shard
	Parallelism int    // pods at once; 0 means all
	// ConfigMap holds the scenario file, mounted at path.Dir(Scenario);
	// ClaimName is the PersistentVolumeClaim the parts are written to,
	// mounted at PartsDir.
	ConfigMap, ClaimName, PartsDir string
}

var dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$`)

// KubernetesJob is the Indexed Job that runs the sweep's shards. The
// Job controller gives each pod its index in the annotation
// batch.kubernetes.io/job-completion-index and, from Kubernetes 1.22 on,
// the variable JOB_COMPLETION_INDEX; the container declares that variable
// itself from the annotation (the downward API), so that $(JOB_COMPLETION_INDEX)
// in its arguments is expanded on every version that has Indexed Jobs.
// Each pod runs
//
//	boxes sweep SCENARIO --shard $(JOB_COMPLETION_INDEX)/N --out PARTS/part-$(JOB_COMPLETION_INDEX).json
//
// and the merge runs once the Job completes (MergeCommand).
func KubernetesJob(o JobOptions) (*batchv1.Job, error) {
	switch {
	case !dnsLabel.MatchString(o.Name):
		return nil, fmt.Errorf("sweep: job name %q must be a DNS label of at most 52 characters (lowercase letters, digits, '-')", o.Name)
	case o.Image == "":
		return nil, fmt.Errorf("sweep: the job needs an image with boxes in it")
	case o.Shards < 1 || o.Shards > 100_000:
		return nil, fmt.Errorf("sweep: shards %d must be from 1 to 100000 (the Indexed Job limit)", o.Shards)
	case o.Parallelism < 0:
		return nil, fmt.Errorf("sweep: parallelism %d must not be negative", o.Parallelism)
	case !path.IsAbs(o.Scenario) || !path.IsAbs(o.PartsDir):
		return nil, fmt.Errorf("sweep: the scenario and parts paths must be absolute paths in the pod")
	}
	parallel := int32(o.Shards)
	if o.Parallelism > 0 && o.Parallelism < o.Shards {
		parallel = int32(o.Parallelism)
	}
	completions := int32(o.Shards)
	indexed := batchv1.IndexedCompletion
	noRestart := int32(3)
	nonRoot := true
	uid := int64(65532)
	noEscalation := false
	readOnly := true
	const index = "$(JOB_COMPLETION_INDEX)"
	job := &batchv1.Job{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: metav1.ObjectMeta{Name: o.Name, Labels: map[string]string{"app.kubernetes.io/name": "boxes-sweep"}},
		Spec: batchv1.JobSpec{
			CompletionMode: &indexed,
			Completions:    &completions,
			Parallelism:    &parallel,
			BackoffLimit:   &noRestart,
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app.kubernetes.io/name": "boxes-sweep"}},
				Spec: corev1.PodSpec{
					RestartPolicy: corev1.RestartPolicyNever,
					SecurityContext: &corev1.PodSecurityContext{
						RunAsNonRoot: &nonRoot, RunAsUser: &uid, FSGroup: &uid,
					},
					Containers: []corev1.Container{{
						Name:  "sweep",
						Image: o.Image,
						Args: []string{"sweep", o.Scenario,
							"--shard", index + "/" + fmt.Sprint(o.Shards),
							"--out", path.Join(o.PartsDir, "part-"+index+".json")},
						Env: []corev1.EnvVar{{
							Name: "JOB_COMPLETION_INDEX",
							ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{
								FieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']",
							}},
						}},
						SecurityContext: &corev1.SecurityContext{
							AllowPrivilegeEscalation: &noEscalation,
							ReadOnlyRootFilesystem:   &readOnly,
							Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
						},
						VolumeMounts: []corev1.VolumeMount{
							{Name: "scenario", MountPath: path.Dir(o.Scenario), ReadOnly: true},
							{Name: "parts", MountPath: o.PartsDir},
						},
					}},
					Volumes: []corev1.Volume{
						{Name: "scenario", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
							LocalObjectReference: corev1.LocalObjectReference{Name: o.ConfigMap}}}},
						{Name: "parts", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{
							ClaimName: o.ClaimName}}},
					},
				},
			},
		},
	}
	return job, nil
}

// JobManifest is the Job as YAML, with a comment that says how to create
// its ConfigMap and volume, and how to merge once it completes.
func JobManifest(o JobOptions) ([]byte, error) {
	job, err := KubernetesJob(o)
	if err != nil {
		return nil, err
	}
	b, err := yaml.Marshal(job)
	if err != nil {
		return nil, err
	}
	head := fmt.Sprintf(`# A boxes sweep as a Kubernetes Indexed Job: %d pods, pod i runs shard i/%d.
#   kubectl create configmap %s --from-file=%s=SCENARIO.yaml
#   (and a PersistentVolumeClaim %s, ReadWriteMany, for the parts)
#   kubectl apply -f job.yaml
#   kubectl wait --for=condition=complete job/%s --timeout=24h
# then, in any pod that mounts the claim at %s:
#   %s
`, o.Shards, o.Shards, o.ConfigMap, path.Base(o.Scenario), o.ClaimName, o.Name, o.PartsDir, MergeCommand(o))
	return append([]byte(head), b...), nil
}

// MergeCommand is the command that merges the Job's parts into the
// result the unsharded sweep would print.
func MergeCommand(o JobOptions) string {
	return fmt.Sprintf("boxes merge %s --out %s", path.Join(o.PartsDir, "part-*.json"), path.Join(o.PartsDir, "sweep.json"))
}
