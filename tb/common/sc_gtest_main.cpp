// sc_main for every test executable: SystemC reports of warning severity or
// worse become test failures, then googletest runs. Run through CTest, each
// TEST gets its own process (one elaboration each).
#include <gtest/gtest.h>

#include <systemc>

int sc_main(int argc, char* argv[]) {
    using namespace sc_core;
    sc_report_handler::set_actions(SC_WARNING, SC_DISPLAY | SC_THROW);
    sc_report_handler::set_actions(SC_ERROR, SC_DISPLAY | SC_THROW);
    sc_report_handler::set_actions(SC_FATAL, SC_DISPLAY | SC_THROW);
    // Deprecation notes from the kernel itself are not the model's fault.
    sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", SC_DO_NOTHING);
    testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
