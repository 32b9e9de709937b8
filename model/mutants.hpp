// Deliberately broken variants of the core, which exist to prove that the
// checks can fail. A variant is compiled only into test targets, with
// -DFAILSIM_MUTANT_<NAME>; the shipped library defines none, so each flag
// below is a constant false and its branch is compiled away.
#pragma once

namespace failsim::model::mutant {

#ifdef FAILSIM_MUTANT_REPLY_BEFORE_MIRROR
inline constexpr bool reply_before_mirror = true;  // ack before the mirror write lands
#else
inline constexpr bool reply_before_mirror = false;
#endif
#ifdef FAILSIM_MUTANT_REPLAY_CONTAINED
inline constexpr bool replay_contained = true;  // replay entries the superblock already holds
#else
inline constexpr bool replay_contained = false;
#endif
#ifdef FAILSIM_MUTANT_FORGET_REPLY_CACHE
inline constexpr bool forget_reply_cache = true;  // lose the reply cache on takeover
#else
inline constexpr bool forget_reply_cache = false;
#endif
#ifdef FAILSIM_MUTANT_SUPERBLOCK_FIRST
inline constexpr bool superblock_first = true;  // write the superblock before its blocks
#else
inline constexpr bool superblock_first = false;
#endif
#ifdef FAILSIM_MUTANT_REPLAY_STALE_NVRAM
inline constexpr bool replay_stale_nvram = true;  // replay own NVRAM after being taken over
#else
inline constexpr bool replay_stale_nvram = false;
#endif
#ifdef FAILSIM_MUTANT_ACCEPT_TORN_ENTRY
inline constexpr bool accept_torn_entry = true;  // trust a log entry whose CRC fails
#else
inline constexpr bool accept_torn_entry = false;
#endif
#ifdef FAILSIM_MUTANT_NO_FENCING
inline constexpr bool no_fencing = true;  // take over without taking the reservation
#else
inline constexpr bool no_fencing = false;
#endif
#ifdef FAILSIM_MUTANT_LOSE_PLEX_WRITES
inline constexpr bool lose_plex_writes = true;  // CP blocks reach the first plex only
#else
inline constexpr bool lose_plex_writes = false;
#endif
#ifdef FAILSIM_MUTANT_GIVEBACK_WITH_RUNNING_CP
inline constexpr bool giveback_with_running_cp = true;  // a CP running at giveback counts as the giveback CP
#else
inline constexpr bool giveback_with_running_cp = false;
#endif
#ifdef FAILSIM_MUTANT_IGNORE_FENCING
inline constexpr bool ignore_fencing = true;  // a CP whose writes were rejected counts as done
#else
inline constexpr bool ignore_fencing = false;
#endif
#ifdef FAILSIM_MUTANT_SKIP_STORAGE_TAKEOVER
inline constexpr bool skip_storage_takeover = true;  // no takeover asked for when the disks are out of reach
#else
inline constexpr bool skip_storage_takeover = false;
#endif
#ifdef FAILSIM_MUTANT_CP_DROPS_MODE
inline constexpr bool cp_drops_mode = true;  // the CP image leaves each inode's mode out (written as 0)
#else
inline constexpr bool cp_drops_mode = false;
#endif
#ifdef FAILSIM_MUTANT_IGNORE_LOG_VALIDITY
inline constexpr bool ignore_log_validity = true;  // recover from an own NVRAM log whose contents were lost
#else
inline constexpr bool ignore_log_validity = false;
#endif

}  // namespace failsim::model::mutant
