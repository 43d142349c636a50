// `itsim import`: stimulus traces from other tools' logs (docs/import.md).
//   itsim import qemu LOG [-o TRACE] [--time-scale S] [-q]
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace itsim {

// args: what follows "import". Exit status: 0 imported; 2 a bad command
// line or a log that cannot be imported (one line "FILE:LINE[:COL]: error:
// ..." on err); 3 the output cannot be written.
int import_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace itsim
