// Everything an integrator binds to, in one include: <itsim/itsim.h>.
// The parts have a header each (docs/integration.md says what each one
// offers); include those alone if you need only one.
#pragma once

#include "itsim/version.h"

#include "itsim/common/gic_version.h"
#include "itsim/common/its_cmd.h"
#include "itsim/common/lpi_stream.h"
#include "itsim/common/msi_ext.h"
#include "itsim/common/records.h"
#include "itsim/common/timeline.h"
#include "itsim/bus/bus.h"
#include "itsim/memory/memory.h"
#include "itsim/its/its.h"
#include "itsim/redist/redistributor.h"
#include "itsim/cpu/cpu_interface.h"
#include "itsim/msi/msi_frontend.h"
#include "itsim/trace/trace.h"
