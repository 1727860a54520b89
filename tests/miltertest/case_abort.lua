-- case_abort.lua - an aborted message leaves nothing behind for the next
-- one on the same connection (SMFIC_ABORT, then MAIL FROM again).
dofile(dir .. "/common.lua")

local conn = open_conn()

-- 1: aborted after part of a body that would be rejected, subject tagged
start_message(conn, "ABORT1", "vigie-e2e-tag aborted")
send_body(conn, "first half of a message that says vigie-e2e-reject and\r\n", 65535)
step("mt.abort", mt.abort(conn))

-- 2: a clean message: its verdict must be its own
local reply, status = message(conn, "ABORT2", "plain subject", "Nothing to see.\r\n")
verify(reply == "accept" or reply == "continue", "after abort: clean message accepted",
    reply, "accept or continue")
verify(action_of(status) == "accept", "after abort: X-Vigie-Status is accept",
    status, "accept score=...")
verify(not mt.eom_check(conn, MT_HDRADD, "X-Vigie-Report") and
    not mt.eom_check(conn, MT_HDRINSERT, "X-Vigie-Report"),
    "after abort: no X-Vigie-Report", "a report", "none")

-- 3: aborted right after MAIL FROM
mt.macro(conn, SMFIC_MAIL, "i", "ABORT3")
exchange(conn, "ABORT3: MAIL", SMFIP_NOMAIL, SMFIP_NR_MAIL, mt.mailfrom, "<sender@example.org>")
step("mt.abort", mt.abort(conn))

-- 4: aborted after the headers
start_message(conn, "ABORT4", "vigie-e2e-quarantine aborted")
step("mt.abort", mt.abort(conn))

-- 5: a tagged message still gets tagged
reply, status = message(conn, "ABORT5", "vigie-e2e-tag after aborts", "Hello.\r\n")
verify(status == "tag score=5.0", "after aborts: tagged message gets tag score=5.0",
    status, "tag score=5.0")
verify(not mt.eom_check(conn, MT_QUARANTINE), "after aborts: no quarantine",
    "quarantine", "none")

mt.disconnect(conn)
finish()
