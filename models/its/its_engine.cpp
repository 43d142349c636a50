// The Its module, part 3 of 4 (its_lane.h): the command engine thread.
#include "itsim/its/its.h"

#include "itsim/common/report.h"
#include "itsim/its/its_lane.h"

namespace itsim {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

// ---------------------------------------------------------------------------
// Command engine
// ---------------------------------------------------------------------------
sc_time Its::published_at(uint64_t offset) {
    const uint64_t qb = core_.queue_bytes();
    while (qb && !publications_.empty()) {
        const Publication& p = publications_.front();
        const uint64_t span = (p.to + qb - p.from) % qb, into = (offset + qb - p.from) % qb;
        if (p.from < qb && p.to < qb && into < span) return p.at;
        publications_.pop_front();   // it published earlier commands (or was outside the queue)
    }
    return SC_ZERO_TIME;
}

void Its::engine() {
    Lane& lane = *engine_lane_;
    Timeline& tl = lane.tl;
    for (;;) {
        while (!core_.command_ready()) {
            probe_.engine = core_.stalled() ? ItsProbe::stalled : ItsProbe::idle;
            update_probe();
            // Catch up first, then look again: a CWRITER write while this
            // thread waited out its local time notified nobody (an
            // sc_event does not remember a notification nobody waited for).
            if (tl.local() != SC_ZERO_TIME) {
                tl.sync_now();
                continue;
            }
            sc_core::wait(kick_ev_);
            // Never start work before the register write that published it.
            if (tl.now() < last_kick_) tl.spend(last_kick_ - tl.now());
        }
        probe_.engine = ItsProbe::fetching;
        update_probe();
        // Not before the CWRITER write that published this command.
        const sc_time published = published_at(core_.creadr());
        if (tl.now() < published) tl.spend(published - tl.now());
        lane.env.fetched_ps = 0;
        lane.env.acted = CommandRecord{};
        tl.set_context(LpiCause::command(core_.creadr()).pack());
        ItsCore::CommandResult r = core_.process_next(lane.env);
        CommandRecord& rec = r.record;
        {
            const CommandRecord& a = lane.env.acted;
            const uint8_t op = rec.cmd.opcode;
            // MAPD sweeps and MOVALL act on many LPIs: no single one to name.
            const bool one = op == uint8_t(ItsOpcode::INT) || op == uint8_t(ItsOpcode::CLEAR) ||
                             op == uint8_t(ItsOpcode::INV) || op == uint8_t(ItsOpcode::DISCARD) ||
                             op == uint8_t(ItsOpcode::MOVI) || op == uint8_t(ItsOpcode::INVALL);
            if (one) {
                rec.has_lpi = a.has_lpi;
                rec.lpi_intid = a.lpi_intid;
                rec.has_cpu = a.has_cpu;
                rec.lpi_cpu = a.lpi_cpu;
                rec.has_to_cpu = a.has_to_cpu;
                rec.to_cpu = a.to_cpu;
            }
        }
        const sc_time now = tl.now();
        rec.fetched_ps = lane.env.fetched_ps;
        if (r.retired) rec.done_ps = to_ps(now);
        probe_.opcode = rec.cmd.opcode;
        ++probe_.commands_done;
        if (r.retired || r.stalled) note_creadr(now);
        if (on_command) on_command(rec);
        report::command_error(this, rec);
        if (r.stalled) {
            StallRecord s;
            s.t_ps = to_ps(now);
            s.creadr = rec.offset;
            s.error = rec.status;
            if (on_stall) on_stall(s);
            report::stall(this, s);
        }
    }
}

}  // namespace itsim
