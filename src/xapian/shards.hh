// What writer.cc needs of shards.cc: the threads of a parallel writer and
// the changesets setting. Internal to src/xapian/.
#ifndef OASIS_XAPIAN_SHARDS_HH
#define OASIS_XAPIAN_SHARDS_HH

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace xapc {

// One thread per shard. post(k, f) runs f on shard k's thread, after what
// was posted there before (the caller waits while too much is queued);
// wait() returns once every thread is idle, and throws again the first
// exception any of them met since the last wait(). After an exception, a
// thread skips what is posted to it until then.
class workers {
  public:
    explicit workers(size_t n);
    ~workers();
    workers(const workers &) = delete;
    workers &operator=(const workers &) = delete;
    void post(size_t k, std::function<void()> f);
    void wait();
    size_t size() const;

  private:
    struct lane {
        std::deque<std::function<void()>> queue;
        std::exception_ptr error;
        bool busy = false;
        std::condition_variable work; // something posted, or stopping
        std::thread thread;
    };
    void run(size_t k);
    std::vector<lane> lanes_;
    std::mutex m_;
    std::condition_variable idle_, space_;
    bool stop_ = false;
};

// XAPIAN_MAX_CHANGESETS, which glass reads when a writable database is
// opened, set to n (n < 0: left as it is) for the lifetime of the object,
// then restored.
class changesets_env {
  public:
    explicit changesets_env(int n);
    ~changesets_env();
    changesets_env(const changesets_env &) = delete;
    changesets_env &operator=(const changesets_env &) = delete;

  private:
    static constexpr const char *name = "XAPIAN_MAX_CHANGESETS";
    bool set_ = false, had_ = false;
    std::string old_;
};

// The directory name of shard k of a sharded index.
std::string shard_name(size_t k);

} // namespace xapc

#endif
