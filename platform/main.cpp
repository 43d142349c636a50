// itsim: the command-line front end. See README.md.
#include <systemc>

int sc_main(int argc, char* argv[]) {
    return 0;
}
