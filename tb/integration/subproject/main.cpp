// Links the library and checks a version and a command encoding.
#include <itsim/itsim.h>

#include <cstdio>
#include <cstring>

int sc_main(int, char**) {
    const itsim::CmdWords w = itsim::encode(itsim::build::mapti(0x10, 3, 8195, 1));
    // MAPTI 0x0A, DeviceID 0x10 in DW0[63:32]; EventID 3, pINTID 8195 in DW1; ICID 1 in DW2.
    const bool ok = w[0] == 0x000000100000000Aull && w[1] == 0x0000200300000003ull && w[2] == 1 &&
                    std::strcmp(itsim::kVersion, ITSIM_VERSION_STRING) == 0;
    std::printf("itsim %s as a subproject: %s\n", itsim::kVersion, ok ? "ok" : "WRONG");
    return ok ? 0 : 1;
}
