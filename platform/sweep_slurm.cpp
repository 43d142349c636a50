// `itsim sweep --slurm` (sweep.h): the job array script and its submission.
#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>

#include "plot.h"
#include "sweep_run.h"

namespace itsim::sweep_detail {

std::string slurm_script(const std::string& dir, size_t points, int width) {
    const std::string qdir = shell_quote(dir);
    std::ostringstream s;
    s << "#!/bin/sh\n"
         "# The sweep as a Slurm job array: task N runs line N of commands.txt,\n"
         "# its output in points/NNNN/log.txt and its exit status in\n"
         "# points/NNNN/exit_status, as a local run leaves them.\n"
         "#   sbatch "
      << shell_quote(dir + "/slurm.sh")
      << "\n"
         "# (or itsim sweep ... --slurm), then collect the results into sweep.csv\n"
         "# and sweep.png with the same itsim sweep command line plus --collect.\n"
         "#SBATCH --job-name=itsim-sweep\n"
         "#SBATCH --array=1-"
      << points
      << "\n"
         "#SBATCH --ntasks=1\n"
         "#SBATCH --cpus-per-task=1\n"
         "#SBATCH --output="
      << dir << "/points/slurm-%a.out\n"
      << "d=$(printf '%s/points/%0" << width << "d' " << qdir << " \"$SLURM_ARRAY_TASK_ID\")\n"
      << "sed -n \"${SLURM_ARRAY_TASK_ID}p\" " << shell_quote(dir + "/commands.txt")
      << " | sh >\"$d/log.txt\" 2>&1\n"
         "echo $? >\"$d/exit_status\"\n";
    return s.str();
}

namespace {

std::string read_all(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// sbatch --parsable prints "JOBID" or "JOBID;CLUSTER" on a line of its own.
std::string job_id(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        const std::string id = line.substr(0, line.find(';'));
        if (!id.empty() && id.find_first_not_of("0123456789") == std::string::npos) return id;
    }
    return "";
}

}  // namespace

int submit_slurm(const SweepOptions& o, const std::string& dir, std::ostream& out, std::ostream& err) {
    std::vector<std::string> argv = {o.sbatch, "--parsable"};
    if (o.slurm_wait) argv.push_back("--wait");
    for (const std::string& a : o.sbatch_args) argv.push_back(a);
    argv.push_back(dir + "/slurm.sh");
    const std::string log = dir + "/sbatch.log";
    std::remove(log.c_str());
    out.flush();
    const int rc = run_program(argv, dir, log);
    const std::string text = read_all(log);
    const std::string id = job_id(text);
    // With --wait, sbatch's status is the highest of the tasks'; each task
    // ends with `echo $? > exit_status`, so anything but 0 is Slurm's.
    if (rc != 0 || id.empty()) {
        std::string first = text.substr(0, text.find('\n'));
        err << "itsim sweep: error: " << o.sbatch << " failed (exit status " << rc << ")"
            << (first.empty() ? "" : ": " + first) << "; see " << log << "\n";
        return 4;
    }
    out << "sweep: submitted Slurm job " << id << " (" << dir << "/slurm.sh)";
    if (!o.slurm_wait) out << "; when it is done, run the same itsim sweep command with --collect instead of --slurm";
    out << "\n";
    return 0;
}

}  // namespace itsim::sweep_detail
