// Generated from api-spec/openapi.yaml by `npm run spec:ui` (openapi-typescript; services/server/ui-api-types.ts). Do not edit.
// The UI names what it reads from here in ui/src/api/ (types.ts, jobs.ts, apps.ts, session.ts, http.ts).

export interface paths {
    "/api/v1/agent/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** An agent is alive; 409 ORR_ERR_AGENT_NOT_REGISTERED tells it to register again */
        post: operations["agentHeartbeat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agent/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An agent (re-)registers: its resources, attributes and the tasks it still runs
         * @description Agent protocol (authenticated with the cluster secret in `x-orrery-cluster-secret`). The master first checks that it reaches the agent at `url` (400 naming `body.url` if not), then reconciles the reported tasks (unknown ones of unknown frameworks are killed, missing ones become LOST) and from now on sends launches, kills and acknowledgements to `url` for this `sessionId`.
         */
        post: operations["registerAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agent/updates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Status updates from an agent; each is acknowledged later, to the agent, once persisted */
        post: operations["agentStatusUpdates"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scheduler": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Framework API (Mesos v1 scheduler API in JSON): SUBSCRIBE opens the event stream; other calls answer 202
         * @description SUBSCRIBE answers 200 with a never-ending `application/json` body in RecordIO framing: each record is `<byte length>\n<SchedulerEvent JSON>`, and the `Mesos-Stream-Id` response header names the stream. The first record is SUBSCRIBED; HEARTBEAT follows every `heartbeat_interval_seconds`; an ERROR record precedes a stream the master ends on purpose (torn down, replaced by a newer SUBSCRIBE, removed). Every other call goes on another connection with the `Mesos-Stream-Id` of the current stream and `framework_id`, and answers 202 once applied. A framework whose stream drops keeps its tasks for `failover_timeout` seconds; SUBSCRIBE with `framework_info.id` within it resumes, and every status update not yet acknowledged is sent again. When framework credentials are configured, every call carries `Authorization: Basic base64(principal:secret)`.
         */
        post: operations["schedulerCall"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scheduler/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Orrery extension: several scheduler calls of one subscription in one request, applied in order
         * @description The same calls as `POST /api/v1/scheduler` (not SUBSCRIBE), with the same `Mesos-Stream-Id` and credentials, in one request: the HTTP transport sends the calls a framework makes in one moment (typically many ACKNOWLEDGEs) together. Each call is applied as if sent alone; `results[i]` is `{"status": 202}` or the problem document call i would have had.
         */
        post: operations["schedulerCallBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This OpenAPI document */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ping": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness check */
        get: operations["ping"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scheduler/dependency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Chronos: create or replace a dependent job (parents) */
        post: operations["putDependentJobChronos2"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scheduler/graph/dot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Chronos: the dependency graph as Graphviz dot */
        get: operations["getGraphDotChronos2"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scheduler/iso8601": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Chronos: create or replace a scheduled job */
        post: operations["putScheduledJobChronos2"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scheduler/job/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Chronos: one job */
        get: operations["getJobChronos2"];
        /** Chronos: run a job now (manual start); `arguments` are appended to its command */
        put: operations["startJobChronos2"];
        post?: never;
        /** Chronos: delete a job (refused while others depend on it, unless force=true detaches them) */
        delete: operations["deleteJobChronos2"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scheduler/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Chronos: every job with its counters */
        get: operations["listJobsChronos2"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scheduler/task/kill/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Chronos: kill all of a job's running tasks */
        delete: operations["killJobTasksChronos2"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Agents with their resources (total, used, offered), attributes and isolators */
        get: operations["listAgents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One agent */
        get: operations["getAgent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{id}/drain": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Drain an agent: no new offers on it; its tasks keep running (state DRAINING) */
        post: operations["drainAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Apps with counts (wanted, staged, running, healthy, unhealthy), status and current deployment */
        get: operations["listApps"];
        put?: never;
        /** Create an app: starts a deployment */
        post: operations["createApp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One app */
        get: operations["getApp"];
        /** Create or replace an app with a full definition: starts a deployment */
        put: operations["putApp"];
        post?: never;
        /** Delete an app: a deployment stops its tasks, then the app is gone */
        delete: operations["deleteApp"];
        options?: never;
        head?: never;
        /** Change some fields of an app (JSON merge patch; null resets a field to its default): starts a deployment */
        patch: operations["patchApp"];
        trace?: never;
    };
    "/v1/apps/{id}/pending": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Why waiting instances are not placed: per agent (cpus, mem, ports, constraint), backoff, deployment step */
        get: operations["getAppPending"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{id}/restart": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace every task by a rolling restart within the upgrade strategy */
        post: operations["restartApp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{id}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deploy a stored version again (default: the one before the current) */
        post: operations["rollbackApp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{id}/scale": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set the number of instances: starts a deployment */
        post: operations["scaleApp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{id}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Scale to 0 instances, keeping the definition */
        post: operations["suspendApp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{id}/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The app's tasks: host, ports, state, health, started, version */
        get: operations["listAppTasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{id}/tasks/{taskId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Kill one task; it is replaced unless scale=true (then the app wants one instance fewer) */
        delete: operations["killAppTask"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stored versions of the app, newest first (the last 50) */
        get: operations["listAppVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{id}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The app definition at one version */
        get: operations["getAppVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deployments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Running deployments (all=true adds recently finished ones) */
        get: operations["listDeployments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deployments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One deployment: steps, progress, deadline, result */
        get: operations["getDeployment"];
        put?: never;
        post?: never;
        /** Cancel a running deployment: a new deployment reverts to the previous definition; force=true only stops it */
        delete: operations["cancelDeployment"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server-sent events: task status, jobs and runs, apps and deployments; resumable with Last-Event-ID
         * @description Each event has `id` (monotonic), `event` (its type, e.g. `task.status`, `run.finished`, `deployment.step`) and JSON `data`. Without Last-Event-ID only new events are sent. A `gap` event means events between Last-Event-ID and the oldest kept were trimmed.
         */
        get: operations["streamEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/frameworks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Frameworks with role, weight and DRF dominant share */
        get: operations["listFrameworks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/frameworks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One framework */
        get: operations["getFramework"];
        put?: never;
        post?: never;
        /**
         * Tear a framework down: its tasks are killed and it is forgotten (admin)
         * @description As the framework's own TEARDOWN call. The frameworks built into this Orrery (jobs, apps, execute) are refused with 409.
         */
        delete: operations["teardownFramework"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Jobs by name, filtered by name, owner or status, paged */
        get: operations["listJobs"];
        put?: never;
        /** Create or replace a job (schedule, parents, or neither for manual-only) */
        post: operations["putJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/graph": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The dependency graph: jobs with their status, and edges (Graphviz dot with format=dot) */
        get: operations["getJobGraph"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One job: definition, status, counters and duration percentiles */
        get: operations["getJob"];
        put?: never;
        post?: never;
        /** Delete a job, its runs and history; refused while others depend on it unless force=true (which detaches them) */
        delete: operations["deleteJob"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{name}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Disable a job: no more scheduled or dependent runs (manual runs still allowed) */
        post: operations["disableJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{name}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enable a job; occurrences passed while disabled are not owed */
        post: operations["enableJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{name}/kill": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Kill every active run of a job (and cancel its pending retry) */
        post: operations["killJobRuns"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{name}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Run history of a job, newest first, paged */
        get: operations["listJobRuns"];
        put?: never;
        /** Start a run now (manual; the body is optional); children run after it as after any success */
        post: operations["startJobRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{name}/runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One run, with links to its task and its stdout/stderr */
        get: operations["getJobRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{name}/schedule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The next fire times in UTC and in the job’s time zone (a dry run) */
        get: operations["previewJobSchedule"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/leader": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The current leading master */
        get: operations["getLeader"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/scheduler/dependency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Chronos: create or replace a dependent job (parents) */
        post: operations["putDependentJobChronos3"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/scheduler/graph/dot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Chronos: the dependency graph as Graphviz dot */
        get: operations["getGraphDotChronos3"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/scheduler/iso8601": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Chronos: create or replace a scheduled job */
        post: operations["putScheduledJobChronos3"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/scheduler/job/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Chronos: one job */
        get: operations["getJobChronos3"];
        /** Chronos: run a job now (manual start); `arguments` are appended to its command */
        put: operations["startJobChronos3"];
        post?: never;
        /** Chronos: delete a job (refused while others depend on it, unless force=true detaches them) */
        delete: operations["deleteJobChronos3"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/scheduler/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Chronos: every job with its counters */
        get: operations["listJobsChronos3"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/scheduler/task/kill/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Chronos: kill all of a job's running tasks */
        delete: operations["killJobTasksChronos3"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The whole cluster: leader, agents, frameworks, tasks
         * @description Active tasks first, newest first, at most 1000; `taskCounts` counts every task the master holds by state.
         */
        get: operations["getState"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tasks, newest first, filtered by state, framework or agent */
        get: operations["listTasks"];
        put?: never;
        /** Run a one-off command through the built-in execute framework */
        post: operations["runTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One task: state, reason, exit code, agent, times */
        get: operations["getTask"];
        put?: never;
        post?: never;
        /** Kill a task: SIGTERM to its process group, SIGKILL after the grace period */
        delete: operations["killTask"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}/files/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read part of a task's stdout or stderr from its sandbox (also after it finished) */
        get: operations["readTaskFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A task's resource usage, sampled by its agent: CPU time, memory, limits, and under cgroups the OOM and throttling counters (the last sample once it ended) */
        get: operations["getTaskStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's name and role
         * @description Any valid token may call it. Without configured tokens the answer is `anonymous` with the admin role and `authentication: false`.
         */
        get: operations["whoami"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/apps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Marathon: list apps (filters cmd, id, label; embed=apps.tasks) */
        get: operations["marathonListApps"];
        put?: never;
        /** Marathon: create an app (201, Marathon-Deployment-Id header) */
        post: operations["marathonCreateApp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/apps/{*}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Marathon: one app ({app}), or its /tasks, /versions, /versions/<version> */
        get: operations["marathonGetApp"];
        /** Marathon: create or update an app (partialUpdate=true by default merges over the current definition) */
        put: operations["marathonPutApp"];
        /** Marathon: POST /v2/apps/{id}/restart — rolling restart of all tasks */
        post: operations["marathonRestartApp"];
        /** Marathon: destroy an app, or kill one task (/tasks/<taskId>, scale=true to also scale down) */
        delete: operations["marathonDeleteApp"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/deployments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Marathon: running deployments */
        get: operations["marathonListDeployments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/deployments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Marathon: cancel a deployment by rolling back (200 with the new deployment), or with force=true just stop it (202) */
        delete: operations["marathonCancelDeployment"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Marathon-compatible event stream (SSE) with Marathon's event types */
        get: operations["marathonEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Marathon: name, version, leader, framework id and configuration */
        get: operations["marathonInfo"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/leader": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Marathon: the current leader as host:port (404 when there is none) */
        get: operations["marathonLeader"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Marathon: every running or staging task of every app */
        get: operations["marathonListTasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description An app: its definition, version, status, counts, current deployment, backoff and last failure. */
        App: {
            /** @description A path such as /prod/web */
            id: string;
            /** @description Run with /bin/sh -c; exactly one of cmd and args */
            cmd?: string;
            /** @description argv, no shell */
            args?: string[];
            env?: {
                [key: string]: string;
            };
            /** @description Default 1; 0 = suspended */
            instances: number;
            /** @description Per instance. Default 1 */
            cpus?: number;
            /** @description MB per instance. Default 128 */
            mem?: number;
            /** @description MB per instance. Default 0 */
            disk?: number;
            gpus?: number;
            resources?: {
                [key: string]: number;
            };
            /** @description Host ports from the agent `ports` ranges, given to the task as PORT0…, PORT, PORTS (and PORT_<NAME>) */
            ports?: {
                /** @description 0 (default) = any free port; otherwise exactly this host port */
                port?: number;
                name?: string;
                /** @enum {string} */
                protocol?: "tcp" | "udp";
            }[];
            constraints?: string[][];
            healthChecks?: {
                /**
                 * @description Default HTTP
                 * @enum {string}
                 */
                protocol?: "HTTP" | "TCP" | "COMMAND";
                /** @description HTTP: path to GET; 200-399 passes. Default / */
                path?: string;
                /** @description HTTP/TCP: index into the instance host ports. Default 0 */
                portIndex?: number;
                /** @description COMMAND: run with /bin/sh -c on the apps service host with HOST and PORT* set; exit 0 passes */
                command?: string;
                /** @description Failures before the first success are ignored this long. Default 300 */
                gracePeriodSeconds?: number;
                /** @description Default 60 */
                intervalSeconds?: number;
                /** @description Default 20. A check never overlaps itself: a slow one delays the next */
                timeoutSeconds?: number;
                /** @description Replace the instance after this many; 0 = never. Default 3 */
                maxConsecutiveFailures?: number;
            }[];
            upgradeStrategy?: {
                /** @description Share of instances kept healthy during a rolling upgrade. Default 1 */
                minimumHealthCapacity?: number;
                /** @description Extra instances allowed during a rolling upgrade, as a share. Default 1 */
                maximumOverCapacity?: number;
            };
            /** @description Launch delay after a failure. Default 1 */
            backoffSeconds?: number;
            /** @description Delay multiplier per consecutive failure. Default 1.15 */
            backoffFactor?: number;
            /** @description Cap of the delay. Default 300 */
            maxLaunchDelaySeconds?: number;
            /** @enum {string} */
            killSelection?: "YOUNGEST_FIRST" | "OLDEST_FIRST";
            taskKillGracePeriodSeconds?: number;
            labels?: {
                [key: string]: string;
            };
            /** @description Fetched into the sandbox before start (archives extracted) */
            uris?: string[];
            /** @description Like uris, with Mesos' options (Marathon's fetch) */
            fetch?: {
                uri: string;
                /** @description Unpack .tar, .tar.gz/.tgz, .tar.bz2, .tar.xz, .zip (default true) */
                extract?: boolean;
                /** @description chmod 755, no extraction (default false) */
                executable?: boolean;
                /** @description Reuse the agent's cached download (default false) */
                cache?: boolean;
                /** @description Name in the sandbox (default: the last segment of the URI) */
                outputFile?: string;
            }[];
            /** @description A deployment without progress this long fails. Default 600 */
            progressDeadlineSeconds?: number;
            /** @description Deploy the previous definition when a deployment fails. Default false */
            autoRollback?: boolean;
            /** Format: date-time */
            version: string;
            versionInfo: {
                /** Format: date-time */
                lastConfigChangeAt: string;
                /** Format: date-time */
                lastScalingAt: string;
            };
            /**
             * @description DEPLOYING: a deployment runs. DELAYED: tasks failed (crashed, or killed for failing their health checks) and not every wanted instance is up (running; healthy when checked): see backoff and lastTaskFailure. WAITING: instances missing, waiting for offers. SUSPENDED: 0 instances. DELETING: being deleted
             * @enum {string}
             */
            status: "RUNNING" | "DEPLOYING" | "SUSPENDED" | "WAITING" | "DELAYED" | "DELETING";
            counts: {
                /** @description Instances the app should have */
                wanted: number;
                /** @description Launched, not RUNNING yet */
                staged: number;
                /** @description RUNNING and not being killed */
                running: number;
                /** @description RUNNING and passing every health check (Marathon's tasksHealthy); always 0 when the app has no health checks (see healthChecks) */
                healthy: number;
                /** @description RUNNING and failing a health check */
                unhealthy: number;
                /** @description Being killed (still holding resources) */
                killing: number;
                /** @description On an agent that was lost; the master settles them */
                unreachable: number;
                /** @description Wanted and not launched yet: waiting for an offer that fits (not counted while in backoff) */
                waiting: number;
                /** @description The app's number of health checks; 0: healthy and unhealthy do not apply (clients show '-'), and for deployments an instance counts once it has run briefly */
                healthChecks: number;
            };
            /** @description The running deployment (null when none): step is 1-based; action is absent past the last step */
            deployment: {
                id: string;
                kind: string;
                step: number;
                totalSteps: number;
                action?: string;
            } | null;
            backoff: {
                failures: number;
                delaySeconds: number;
                remainingSeconds: number;
                /** Format: date-time */
                launchAllowedAt?: string;
            };
            lastTaskFailure?: {
                taskId?: string;
                state?: string;
                message?: string;
                /** Format: date-time */
                at?: string;
                hostname?: string;
                version?: string;
            };
            /** @description Why instances are not all running (backoff, capacity, deployment step, offers) */
            waitingBecause?: string;
        };
        /** @description An app definition at one version, with every default filled in. */
        AppDefinition: {
            /** @description A path such as /prod/web */
            id: string;
            /** @description Run with /bin/sh -c; exactly one of cmd and args */
            cmd?: string;
            /** @description argv, no shell */
            args?: string[];
            env?: {
                [key: string]: string;
            };
            /** @description Default 1; 0 = suspended */
            instances: number;
            /** @description Per instance. Default 1 */
            cpus?: number;
            /** @description MB per instance. Default 128 */
            mem?: number;
            /** @description MB per instance. Default 0 */
            disk?: number;
            gpus?: number;
            resources?: {
                [key: string]: number;
            };
            /** @description Host ports from the agent `ports` ranges, given to the task as PORT0…, PORT, PORTS (and PORT_<NAME>) */
            ports?: {
                /** @description 0 (default) = any free port; otherwise exactly this host port */
                port?: number;
                name?: string;
                /** @enum {string} */
                protocol?: "tcp" | "udp";
            }[];
            constraints?: string[][];
            healthChecks?: {
                /**
                 * @description Default HTTP
                 * @enum {string}
                 */
                protocol?: "HTTP" | "TCP" | "COMMAND";
                /** @description HTTP: path to GET; 200-399 passes. Default / */
                path?: string;
                /** @description HTTP/TCP: index into the instance host ports. Default 0 */
                portIndex?: number;
                /** @description COMMAND: run with /bin/sh -c on the apps service host with HOST and PORT* set; exit 0 passes */
                command?: string;
                /** @description Failures before the first success are ignored this long. Default 300 */
                gracePeriodSeconds?: number;
                /** @description Default 60 */
                intervalSeconds?: number;
                /** @description Default 20. A check never overlaps itself: a slow one delays the next */
                timeoutSeconds?: number;
                /** @description Replace the instance after this many; 0 = never. Default 3 */
                maxConsecutiveFailures?: number;
            }[];
            upgradeStrategy?: {
                /** @description Share of instances kept healthy during a rolling upgrade. Default 1 */
                minimumHealthCapacity?: number;
                /** @description Extra instances allowed during a rolling upgrade, as a share. Default 1 */
                maximumOverCapacity?: number;
            };
            /** @description Launch delay after a failure. Default 1 */
            backoffSeconds?: number;
            /** @description Delay multiplier per consecutive failure. Default 1.15 */
            backoffFactor?: number;
            /** @description Cap of the delay. Default 300 */
            maxLaunchDelaySeconds?: number;
            /** @enum {string} */
            killSelection?: "YOUNGEST_FIRST" | "OLDEST_FIRST";
            taskKillGracePeriodSeconds?: number;
            labels?: {
                [key: string]: string;
            };
            /** @description Fetched into the sandbox before start (archives extracted) */
            uris?: string[];
            /** @description Like uris, with Mesos' options (Marathon's fetch) */
            fetch?: {
                uri: string;
                /** @description Unpack .tar, .tar.gz/.tgz, .tar.bz2, .tar.xz, .zip (default true) */
                extract?: boolean;
                /** @description chmod 755, no extraction (default false) */
                executable?: boolean;
                /** @description Reuse the agent's cached download (default false) */
                cache?: boolean;
                /** @description Name in the sandbox (default: the last segment of the URI) */
                outputFile?: string;
            }[];
            /** @description A deployment without progress this long fails. Default 600 */
            progressDeadlineSeconds?: number;
            /** @description Deploy the previous definition when a deployment fails. Default false */
            autoRollback?: boolean;
            /** Format: date-time */
            version: string;
            versionInfo?: {
                /** Format: date-time */
                lastConfigChangeAt: string;
                /** Format: date-time */
                lastScalingAt: string;
            };
        };
        AppDeployment: {
            id: string;
            appId: string;
            version: string;
            fromVersion?: string;
            /** @enum {string} */
            kind: "create" | "update" | "scale" | "restart" | "delete" | "rollback" | "revert";
            /** @enum {string} */
            status: "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
            steps: {
                /** @enum {string} */
                action: "START" | "SCALE" | "RESTART" | "STOP";
                instances: number;
            }[];
            /** @description 1-based */
            currentStep: number;
            totalSteps: number;
            currentAction?: string;
            progress: {
                /** @description Instances of the target version that are ready: healthy, or (healthChecks 0) RUNNING for a moment. The deployment succeeds when tasksWanted are and none of them keeps failing */
                tasksHealthy: number;
                tasksWanted: number;
                /** @description Live instances of another version still to replace */
                tasksOld: number;
                /** @description Live instances of any version (staging, running or being killed): a scale-down ends at tasksWanted */
                tasksLive: number;
                /** @description The target's number of health checks: 0 means tasksHealthy counts running instances */
                healthChecks: number;
            };
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /**
             * Format: date-time
             * @description The deployment fails if it makes no progress before this
             */
            deadlineAt?: string;
            /** Format: date-time */
            finishedAt?: string;
            reason?: string;
            rollbackOf?: string;
            rolledBackBy?: string;
        };
        AppPending: {
            appId: string;
            /** @description Instances the supervisor wants launched that no offer has taken yet */
            waiting: number;
            /** @description Instances wanted minus instances staged or running */
            missing: number;
            summary?: string;
            backoff: {
                failures: number;
                delaySeconds: number;
                remainingSeconds: number;
                /** Format: date-time */
                launchAllowedAt?: string;
            };
            deployment?: {
                id: string;
                step: number;
                totalSteps: number;
                action?: string;
            };
            healthKillsPaused?: string;
            /** Format: date-time */
            lastOfferAt?: string;
            /** @description Why each agent's last offer could not take an instance */
            agents: {
                agentId: string;
                hostname: string;
                reason: string;
                /** Format: date-time */
                at: string;
            }[];
        };
        AppTask: {
            id: string;
            appId: string;
            agentId: string;
            host: string;
            ports: number[];
            state: string;
            /** @description Absent when the app has no health checks or no result counts yet */
            healthy?: boolean;
            healthCheckResults: {
                alive?: boolean;
                consecutiveFailures: number;
                /** Format: date-time */
                firstSuccess?: string;
                /** Format: date-time */
                lastSuccess?: string;
                /** Format: date-time */
                lastFailure?: string;
                lastFailureCause?: string;
            }[];
            version: string;
            /** Format: date-time */
            stagedAt: string;
            /** Format: date-time */
            startedAt?: string;
            message?: string;
            /** @description Why the instance is being replaced (failed health checks) */
            replacing?: string;
            killReason?: string;
        };
        /** @description A job in Chronos' JSON, with its managed counters */
        ChronosJob: {
            name: string;
            command: string;
            /** @description R[n]/<start>/<period> (a cron expression is accepted too) */
            schedule?: string;
            scheduleTimeZone?: string;
            parents?: string[];
            /** @description ISO 8601 duration: the lateness limit */
            epsilon?: string;
            retries?: number;
            owner?: string;
            ownerName?: string;
            description?: string;
            async?: boolean;
            disabled?: boolean;
            softError?: boolean;
            concurrent?: boolean;
            highPriority?: boolean;
            cpus?: number;
            mem?: number;
            disk?: number;
            uris?: string[];
            fetch?: {
                uri: string;
                executable?: boolean;
                extract?: boolean;
                cache?: boolean;
                outputFile?: string;
            }[];
            environmentVariables?: {
                name: string;
                value: string;
            }[];
            shell?: boolean;
            arguments?: string[];
            constraints?: [
                string,
                string,
                string
            ][];
            runAsUser?: string;
            container?: {
                [key: string]: unknown;
            };
            executor?: string;
            executorFlags?: string;
            taskInfoData?: string;
            dataProcessingJobType?: boolean;
            /** @description Seconds; 0 = no timeout */
            maxCompletionTime?: number;
            /** @description Managed by the server; ignored on input */
            successCount?: number;
            /** @description Managed by the server; ignored on input */
            errorCount?: number;
            /** @description Managed by the server; ignored on input */
            errorsSinceLastSuccess?: number;
            /** @description Managed by the server; ignored on input */
            lastSuccess?: string;
            /** @description Managed by the server; ignored on input */
            lastError?: string;
        };
        /** @description A job definition with its state */
        Job: {
            name: string;
            description?: string;
            /** @description Who to tell when it fails (e.g. e-mail addresses) */
            owner?: string;
            labels?: {
                [key: string]: string;
            };
            /** @description A shell command (run with /bin/sh -c), or argv as a list */
            command: string | string[];
            /** @description Cron (5 fields, or 6 with leading seconds) or ISO 8601 `R[n]/<start>/<period>`. Absent for dependent jobs (parents) and manual-only jobs. */
            schedule?: string;
            /** @description IANA time zone of the schedule (default UTC) */
            timeZone: string;
            /** @description Jobs this one depends on: it runs once every parent succeeded since it last started */
            parents?: string[];
            cpus: number;
            /** @description MB */
            mem: number;
            /** @description MB */
            disk: number;
            gpus?: number;
            /** @description More resources in Mesos syntax, e.g. `cassandra-slot:1` */
            resources?: string;
            env?: {
                [key: string]: string;
            };
            /** @description Fetched into the sandbox before the command runs */
            uris?: (string | {
                uri: string;
                extract?: boolean;
                executable?: boolean;
                cache?: boolean;
            })[];
            /** @description [field, operator, value] with operator EQUALS, LIKE or UNLIKE (CLUSTER = EQUALS); field is hostname or an agent attribute */
            constraints?: [
                string,
                string,
                string
            ][];
            /** @description Further attempts after a failed one (timeouts included; kills never retry) */
            retries: number;
            /** @description Delay before retry n: initialMs × factor^(n-1), at most maxMs */
            backoff: {
                initialMs?: number;
                factor?: number;
                maxMs?: number;
            };
            /** @description Kill a run still running after this long; the run is FAILED with a timeout reason */
            timeoutMs?: number | null;
            killGracePeriodMs?: number;
            /**
             * @description When a run is due while another is active: allow both, forbid (record SKIPPED), or replace (kill the old)
             * @enum {string}
             */
            concurrencyPolicy: "allow" | "forbid" | "replace";
            /** @description Chronos' epsilon: a trigger that cannot start within this is recorded MISSED, not run late */
            latenessLimitMs?: number | null;
            /**
             * @description Occurrences missed while no replica ran: skip all, run the newest once, or run all (up to missedRunLimit)
             * @enum {string}
             */
            missedRunPolicy: "skip" | "once" | "all";
            missedRunLimit?: number;
            disabled: boolean;
            /** @description Runs kept in the history */
            historyLimit: number;
            /** @description The job's own revision: 1 when it is created, +1 on every write of this job (an edit, enable/disable, detaching a deleted parent); writes of other jobs do not change it, and a job created again under a deleted job's name starts at 1 again. Send it back to write only if nobody changed the job meanwhile (409 otherwise); 0 = create only. */
            version: number;
            /** Format: date-time */
            readonly createdAt: string;
            /** Format: date-time */
            readonly updatedAt: string;
            /** @enum {string} */
            readonly status: "fresh" | "running" | "success" | "failure" | "disabled";
            /** Format: date-time */
            readonly nextRunAt?: string;
            readonly children: string[];
            readonly stats: {
                successCount: number;
                errorCount: number;
                errorsSinceLastSuccess: number;
                /** Format: date-time */
                lastSuccess?: string;
                /** Format: date-time */
                lastError?: string;
                /** @description Runs waiting for resources */
                queued: number;
                /** @description Runs starting or running */
                running: number;
                missedCount?: number;
                skippedCount?: number;
                /** @description Run time (start to end) of the job's last 100 succeeded runs, ms; in lists too; absent before the first success */
                duration?: {
                    count: number;
                    p50: number;
                    p90: number;
                    p99: number;
                    max: number;
                };
                /** @description Due time to start of the runs in the history, ms (lateness plus waiting for resources); only on GET /v1/jobs/{name} */
                startDelay?: {
                    count: number;
                    p50: number;
                    p90: number;
                    p99: number;
                    max: number;
                };
            };
        };
        JobGraph: {
            nodes: {
                name: string;
                /** @enum {string} */
                status: "fresh" | "running" | "success" | "failure" | "disabled";
                schedule?: string;
                parents: string[];
                disabled: boolean;
            }[];
            edges: {
                from: string;
                to: string;
                /** @description The parent succeeded since the child last started */
                satisfied: boolean;
            }[];
        };
        /** @description One firing of a job */
        JobRun: {
            id: string;
            job: string;
            /** @enum {string} */
            cause: "schedule" | "parent" | "manual" | "retry";
            attempt: number;
            /** @enum {string} */
            state: "QUEUED" | "STARTING" | "RUNNING" | "SUCCEEDED" | "FAILED" | "KILLED" | "MISSED" | "SKIPPED";
            reason?: string;
            /** Format: date-time */
            scheduledAt: string;
            /** Format: date-time */
            queuedAt: string;
            /** Format: date-time */
            launchedAt?: string;
            /** Format: date-time */
            startedAt?: string;
            /** Format: date-time */
            finishedAt?: string;
            durationMs?: number;
            exitCode?: number;
            agentId?: string;
            hostname?: string;
            taskId?: string;
            retryOf?: string;
            triggeredBy?: {
                job: string;
                runId: string;
            };
            arguments?: string[];
            /** @description Started by the missed-run policy after downtime */
            catchUp?: boolean;
            /** Format: date-time */
            nextRetryAt?: string;
            /** @description Why a QUEUED run has not launched yet */
            pendingReason?: string;
            links?: {
                task: string;
                stdout: string;
                stderr: string;
            };
        };
        JobSchedule: {
            job: string;
            schedule?: string;
            timeZone: string;
            disabled: boolean;
            parents: string[];
            times: {
                /** Format: date-time */
                at: string;
                /** @description The same instant on the job’s wall clock, with its offset */
                local: string;
            }[];
        };
        /** @description Marathon's AppInfo (RAML v2/types/app.raml): the definition plus tasksStaged/Running/Healthy/Unhealthy, deployments and, when embedded, tasks */
        MarathonApp: {
            id: string;
            cmd?: string | null;
            args?: string[] | null;
            instances: number;
            cpus?: number;
            mem?: number;
            version: string;
            tasksStaged: number;
            tasksRunning: number;
            tasksHealthy: number;
            tasksUnhealthy: number;
            deployments: {
                id: string;
            }[];
            tasks?: components["schemas"]["MarathonTask"][];
        };
        MarathonDeployment: {
            id: string;
            version: string;
            affectedApps: string[];
            affectedPods?: string[];
            steps: Record<string, never>[];
            currentActions: Record<string, never>[];
            currentStep: number;
            totalSteps: number;
        };
        MarathonTask: {
            id: string;
            appId: string;
            host: string;
            ports: number[];
            slaveId: string;
            state: string;
            stagedAt: string;
            startedAt?: string;
            version: string;
            healthCheckResults?: Record<string, never>[];
        };
        /** @description An id as Mesos writes it: `{"value": "<id>"}`. */
        MesosId: {
            value: string;
        };
        /** @description One resource: SCALAR (cpus, mem MB, disk MB, gpus, custom), RANGES (ports) or SET. Only the unreserved role `*` is supported. */
        MesosResource: {
            name: string;
            /** @enum {string} */
            type: "SCALAR" | "RANGES" | "SET";
            scalar?: {
                value: number;
            };
            ranges?: {
                range: {
                    begin: number;
                    end: number;
                }[];
            };
            set?: {
                item: string[];
            };
            /** @enum {string} */
            role?: "*";
            /** @description Accepted and ignored (Mesos MULTI_ROLE). */
            allocation_info?: Record<string, never>;
        };
        /** @description A task to launch with the built-in command executor (Mesos TaskInfo with `command`). */
        MesosTaskInfo: {
            name: string;
            task_id: components["schemas"]["MesosId"];
            agent_id: components["schemas"]["MesosId"];
            resources: components["schemas"]["MesosResource"][];
            /** @description `value` is run with /bin/sh -c when `shell` is true (the default); otherwise `arguments` is the argv. */
            command: {
                /** @default true */
                shell: boolean;
                value?: string;
                arguments?: string[];
                environment?: {
                    variables: {
                        name: string;
                        /** @enum {string} */
                        type?: "VALUE";
                        value: string;
                    }[];
                };
                uris?: {
                    value: string;
                    extract?: boolean;
                    executable?: boolean;
                    cache?: boolean;
                    output_file?: string;
                }[];
            };
            kill_policy?: {
                grace_period: {
                    nanoseconds: number;
                };
            };
            labels?: {
                labels?: {
                    key: string;
                    value?: string;
                }[];
            };
        };
        /** @description An RFC 9457 problem document. `code` is stable; match on it, never on `title` or `detail`. */
        Problem: {
            /**
             * Format: uri
             * @description https://orrery.dev/errors/<code>
             */
            type: string;
            title: string;
            status: number;
            detail: string;
            /** @enum {string} */
            code: "ORR_ERR_AGENT_EPOCH_STALE" | "ORR_ERR_AGENT_GONE" | "ORR_ERR_AGENT_NOT_FOUND" | "ORR_ERR_AGENT_NOT_REGISTERED" | "ORR_ERR_AGENT_SESSION_STALE" | "ORR_ERR_APP_DEPLOYMENT_FINISHED" | "ORR_ERR_APP_DEPLOYMENT_NOT_FOUND" | "ORR_ERR_APP_EXISTS" | "ORR_ERR_APP_INVALID" | "ORR_ERR_APP_LOCKED" | "ORR_ERR_APP_NOT_FOUND" | "ORR_ERR_APP_TASK_NOT_FOUND" | "ORR_ERR_APP_UNAVAILABLE" | "ORR_ERR_APP_VERSION_NOT_FOUND" | "ORR_ERR_CONFLICT" | "ORR_ERR_FORBIDDEN" | "ORR_ERR_FRAMEWORK_NOT_FOUND" | "ORR_ERR_INTERNAL" | "ORR_ERR_JOB_DEPENDENCY_CYCLE" | "ORR_ERR_JOB_HAS_CHILDREN" | "ORR_ERR_JOB_INVALID" | "ORR_ERR_JOB_NOT_FOUND" | "ORR_ERR_JOB_RUN_ACTIVE" | "ORR_ERR_JOB_RUN_NOT_FOUND" | "ORR_ERR_JOB_SCHEDULE_INVALID" | "ORR_ERR_JOB_SERVICE_UNAVAILABLE" | "ORR_ERR_JOB_UNKNOWN_PARENT" | "ORR_ERR_JOB_VERSION_CONFLICT" | "ORR_ERR_NOT_FOUND" | "ORR_ERR_NOT_LEADER" | "ORR_ERR_OFFER_NOT_FOUND" | "ORR_ERR_PAYLOAD_TOO_LARGE" | "ORR_ERR_RESOURCES_UNSATISFIABLE" | "ORR_ERR_SANDBOX_PATH_INVALID" | "ORR_ERR_SANDBOX_REMOVED" | "ORR_ERR_SCHEDULER_CREDENTIALS_REFUSED" | "ORR_ERR_SCHEDULER_NOT_SUBSCRIBED" | "ORR_ERR_SCHEDULER_PRINCIPAL_MISMATCH" | "ORR_ERR_SCHEDULER_STREAM_ID_REQUIRED" | "ORR_ERR_SCHEDULER_UPDATE_NOT_FOUND" | "ORR_ERR_TASK_NOT_FOUND" | "ORR_ERR_UNAUTHORIZED" | "ORR_ERR_UNAVAILABLE" | "ORR_ERR_UNSUPPORTED_MEDIA_TYPE" | "ORR_ERR_VALIDATION";
            /** @description The request URL. */
            instance: string;
            /** @description The offending fields, for validation errors: body.cpus, query.offset, params.id. */
            errors?: {
                field: string;
                message: string;
            }[];
        };
        /** @description One call (Mesos v1 `scheduler.Call` in JSON). SUBSCRIBE carries `subscribe.framework_info` and no `Mesos-Stream-Id`; every other call carries `framework_id`, the `Mesos-Stream-Id` of its subscription, and the body field named after its type (`accept`, `decline`, `kill`, `acknowledge`, `reconcile`). */
        SchedulerCall: {
            /** @enum {string} */
            type: "SUBSCRIBE" | "ACCEPT" | "DECLINE" | "KILL" | "ACKNOWLEDGE" | "RECONCILE" | "REVIVE" | "SUPPRESS" | "TEARDOWN";
            framework_id?: components["schemas"]["MesosId"];
            subscribe?: {
                /** @description Mesos FrameworkInfo. `id` re-subscribes an existing framework (failover). One role (`roles: [r]` or legacy `role`). Other Mesos fields are accepted and ignored. */
                framework_info: {
                    user?: string;
                    name: string;
                    id?: components["schemas"]["MesosId"];
                    /** @description Seconds the master keeps the tasks of a disconnected framework (default 0) */
                    failover_timeout?: number;
                    roles?: [
                    ] | [
                        string
                    ];
                    role?: string;
                    principal?: string;
                    /** @description Orrery extension: DRF weight (default 1) */
                    weight?: number;
                };
            };
            accept?: {
                offer_ids: components["schemas"]["MesosId"][];
                operations?: {
                    /** @enum {string} */
                    type: "LAUNCH";
                    launch: {
                        task_infos: components["schemas"]["MesosTaskInfo"][];
                    };
                }[];
                filters?: {
                    /** @description Default 5; negative means the default; capped at 365 days */
                    refuse_seconds?: number;
                };
            };
            decline?: {
                offer_ids: components["schemas"]["MesosId"][];
                filters?: {
                    /** @description Default 5; negative means the default; capped at 365 days */
                    refuse_seconds?: number;
                };
            };
            kill?: {
                task_id: components["schemas"]["MesosId"];
                agent_id?: components["schemas"]["MesosId"];
                kill_policy?: {
                    grace_period: {
                        nanoseconds: number;
                    };
                };
            };
            acknowledge?: {
                agent_id: components["schemas"]["MesosId"];
                task_id: components["schemas"]["MesosId"];
                /** @description base64, as in the UPDATE */
                uuid: string;
            };
            reconcile?: {
                tasks?: {
                    task_id: components["schemas"]["MesosId"];
                    agent_id?: components["schemas"]["MesosId"];
                }[];
            };
            /** @description Roles are accepted and ignored: a framework has one role. */
            revive?: Record<string, never>;
            /** @description Roles are accepted and ignored: a framework has one role. */
            suppress?: Record<string, never>;
        } & (unknown & unknown & unknown & unknown & unknown & unknown);
        /** @description One record of the SUBSCRIBE stream (Mesos v1 `scheduler.Event` in JSON). */
        SchedulerEvent: {
            /** @enum {string} */
            type: "SUBSCRIBED" | "OFFERS" | "RESCIND" | "UPDATE" | "HEARTBEAT" | "ERROR" | "FAILURE";
            subscribed?: {
                framework_id: components["schemas"]["MesosId"];
                heartbeat_interval_seconds: number;
            };
            offers?: {
                offers?: {
                    id: components["schemas"]["MesosId"];
                    framework_id: components["schemas"]["MesosId"];
                    agent_id: components["schemas"]["MesosId"];
                    hostname: string;
                    resources: components["schemas"]["MesosResource"][];
                    attributes?: {
                        name?: string;
                        /** @enum {string} */
                        type?: "TEXT";
                        text?: {
                            value?: string;
                        };
                    }[];
                }[];
            };
            rescind?: {
                offer_id: components["schemas"]["MesosId"];
            };
            update?: {
                status: {
                    task_id: components["schemas"]["MesosId"];
                    agent_id?: components["schemas"]["MesosId"];
                    /** @enum {string} */
                    state: "TASK_STAGING" | "TASK_STARTING" | "TASK_RUNNING" | "TASK_KILLING" | "TASK_FINISHED" | "TASK_FAILED" | "TASK_KILLED" | "TASK_ERROR" | "TASK_LOST" | "TASK_DROPPED" | "TASK_UNREACHABLE" | "TASK_GONE" | "TASK_UNKNOWN";
                    /** @enum {string} */
                    source: "SOURCE_MASTER" | "SOURCE_AGENT" | "SOURCE_EXECUTOR";
                    reason?: string;
                    message?: string;
                    /** @description Seconds since the epoch */
                    timestamp: number;
                    /** @description base64; present when the update must be acknowledged */
                    uuid?: string;
                    healthy?: boolean;
                    container_status?: {
                        executor_pid?: number;
                    };
                    /** @description Orrery extension */
                    exit_code?: number;
                    /** @description Orrery extension */
                    signal?: string;
                };
            };
            failure?: {
                agent_id?: components["schemas"]["MesosId"];
                message?: string;
            };
            error?: {
                message: string;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    agentHeartbeat: {
        parameters: {
            query?: never;
            header: {
                /** @description The cluster secret (ORRERY_CLUSTER_SECRET / --cluster-secret-file of the master) */
                "x-orrery-cluster-secret": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    agentId: string;
                    sessionId: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        heartbeatIntervalMs: number;
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description ORR_ERR_UNAUTHORIZED: no or wrong cluster secret (logged) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description ORR_ERR_AGENT_NOT_REGISTERED: this session is not the registration the master holds; register again */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    registerAgent: {
        parameters: {
            query?: never;
            header: {
                /** @description The cluster secret (ORRERY_CLUSTER_SECRET / --cluster-secret-file of the master) */
                "x-orrery-cluster-secret": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    sessionId: string;
                    /** @description The agent's base URL, where the master sends launches, kills and acknowledgements */
                    url: string;
                    registration: {
                        /** @description Set when re-registering with the id the agent recovered from its checkpoint */
                        agentId?: string;
                        hostname: string;
                        resources: Record<string, never>;
                        attributes: {
                            [key: string]: string;
                        };
                        isolators: string[];
                        version: string;
                        /** @description Tasks the agent still runs or has unacknowledged updates for */
                        tasks: {
                            frameworkId: string;
                            task: Record<string, never>;
                            /** @enum {string} */
                            state: "PENDING" | "STAGING" | "STARTING" | "RUNNING" | "KILLING" | "FINISHED" | "FAILED" | "KILLED" | "ERROR" | "LOST" | "DROPPED" | "UNREACHABLE" | "GONE" | "UNKNOWN";
                        }[];
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        agentId: string;
                        sessionId: string;
                        masterId: string;
                        heartbeatIntervalMs: number;
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description ORR_ERR_UNAUTHORIZED: no or wrong cluster secret (logged) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description ORR_ERR_AGENT_GONE: the agent was marked gone */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    agentStatusUpdates: {
        parameters: {
            query?: never;
            header: {
                /** @description The cluster secret (ORRERY_CLUSTER_SECRET / --cluster-secret-file of the master) */
                "x-orrery-cluster-secret": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    agentId: string;
                    sessionId: string;
                    updates: {
                        taskId: string;
                        frameworkId: string;
                        agentId: string;
                        /** @enum {string} */
                        state: "STAGING" | "STARTING" | "RUNNING" | "KILLING" | "FINISHED" | "FAILED" | "KILLED" | "ERROR" | "LOST" | "DROPPED" | "UNREACHABLE" | "GONE" | "UNKNOWN";
                        /** @enum {string} */
                        source: "SOURCE_AGENT" | "SOURCE_EXECUTOR";
                        timestamp: number;
                        uuid: string;
                        reason?: string;
                        message?: string;
                        exitCode?: number;
                        signal?: string;
                        healthy?: boolean;
                        healthFailures?: number;
                        executorPid?: number;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accepted: number;
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description ORR_ERR_UNAUTHORIZED: no or wrong cluster secret (logged) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description ORR_ERR_AGENT_NOT_REGISTERED: this session is not the registration the master holds; register again */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    schedulerCall: {
        parameters: {
            query?: never;
            header?: {
                /** @description The stream id from the SUBSCRIBE response; required on every call but SUBSCRIBE */
                "mesos-stream-id"?: string;
                /** @description Basic principal:secret, when framework credentials are configured */
                authorization?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SchedulerCall"];
            };
        };
        responses: {
            /** @description SUBSCRIBE: the event stream, RecordIO-framed SchedulerEvent records (chunked, never ends while subscribed) */
            200: {
                headers: {
                    /** @description Send it with every later call */
                    "Mesos-Stream-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            /** @description The call was applied (its effects arrive as events) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Framework credentials missing or refused */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not subscribed on this stream, or the framework belongs to another principal */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown framework, offer (rescinded, already used, another framework's), task, or update uuid */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Task id already in use */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The launches do not fit in the offers */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    schedulerCallBatch: {
        parameters: {
            query?: never;
            header: {
                /** @description The stream id from the SUBSCRIBE response */
                "mesos-stream-id": string;
                /** @description Basic principal:secret, when framework credentials are configured */
                authorization?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    calls: components["schemas"]["SchedulerCall"][];
                };
            };
        };
        responses: {
            /** @description One result per call, in order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            status: number;
                            problem?: components["schemas"]["Problem"];
                        }[];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Framework credentials missing or refused */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format 0.0.4 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI 3.1 document (api-spec/openapi.yaml) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    ping: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": "pong";
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putDependentJobChronos2: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    command: string;
                    /** @description R[n]/<start>/<period> (a cron expression is accepted too) */
                    schedule?: string;
                    scheduleTimeZone?: string;
                    parents?: string[];
                    /** @description ISO 8601 duration: the lateness limit */
                    epsilon?: string;
                    retries?: number;
                    owner?: string;
                    ownerName?: string;
                    description?: string;
                    async?: boolean;
                    disabled?: boolean;
                    softError?: boolean;
                    concurrent?: boolean;
                    highPriority?: boolean;
                    cpus?: number;
                    mem?: number;
                    disk?: number;
                    uris?: string[];
                    fetch?: {
                        uri: string;
                        executable?: boolean;
                        extract?: boolean;
                        cache?: boolean;
                        outputFile?: string;
                    }[];
                    environmentVariables?: {
                        name: string;
                        value: string;
                    }[];
                    shell?: boolean;
                    arguments?: string[];
                    constraints?: [
                        string,
                        string,
                        string
                    ][];
                    runAsUser?: string;
                    /** @description Accepted and returned; not acted on */
                    container?: Record<string, never>;
                    executor?: string;
                    executorFlags?: string;
                    taskInfoData?: string;
                    dataProcessingJobType?: boolean;
                    /** @description Seconds; 0 = no timeout */
                    maxCompletionTime?: number;
                    /** @description Managed by the server; ignored on input */
                    successCount?: number;
                    /** @description Managed by the server; ignored on input */
                    errorCount?: number;
                    /** @description Managed by the server; ignored on input */
                    errorsSinceLastSuccess?: number;
                    /** @description Managed by the server; ignored on input */
                    lastSuccess?: string;
                    /** @description Managed by the server; ignored on input */
                    lastError?: string;
                };
            };
        };
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getGraphDotChronos2: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Graphviz dot */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putScheduledJobChronos2: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    command: string;
                    /** @description R[n]/<start>/<period> (a cron expression is accepted too) */
                    schedule?: string;
                    scheduleTimeZone?: string;
                    parents?: string[];
                    /** @description ISO 8601 duration: the lateness limit */
                    epsilon?: string;
                    retries?: number;
                    owner?: string;
                    ownerName?: string;
                    description?: string;
                    async?: boolean;
                    disabled?: boolean;
                    softError?: boolean;
                    concurrent?: boolean;
                    highPriority?: boolean;
                    cpus?: number;
                    mem?: number;
                    disk?: number;
                    uris?: string[];
                    fetch?: {
                        uri: string;
                        executable?: boolean;
                        extract?: boolean;
                        cache?: boolean;
                        outputFile?: string;
                    }[];
                    environmentVariables?: {
                        name: string;
                        value: string;
                    }[];
                    shell?: boolean;
                    arguments?: string[];
                    constraints?: [
                        string,
                        string,
                        string
                    ][];
                    runAsUser?: string;
                    /** @description Accepted and returned; not acted on */
                    container?: Record<string, never>;
                    executor?: string;
                    executorFlags?: string;
                    taskInfoData?: string;
                    dataProcessingJobType?: boolean;
                    /** @description Seconds; 0 = no timeout */
                    maxCompletionTime?: number;
                    /** @description Managed by the server; ignored on input */
                    successCount?: number;
                    /** @description Managed by the server; ignored on input */
                    errorCount?: number;
                    /** @description Managed by the server; ignored on input */
                    errorsSinceLastSuccess?: number;
                    /** @description Managed by the server; ignored on input */
                    lastSuccess?: string;
                    /** @description Managed by the server; ignored on input */
                    lastError?: string;
                };
            };
        };
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getJobChronos2: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A job in Chronos' JSON, with its managed counters */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChronosJob"];
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startJobChronos2: {
        parameters: {
            query?: {
                arguments?: string;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteJobChronos2: {
        parameters: {
            query?: {
                force?: boolean;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listJobsChronos2: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChronosJob"][];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    killJobTasksChronos2: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAgents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        agents: {
                            id: string;
                            hostname: string;
                            /** @enum {string} */
                            state: "ACTIVE" | "DRAINING" | "RECOVERING" | "DISCONNECTED" | "GONE";
                            resources: {
                                /** @description Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets. */
                                total: {
                                    scalars: {
                                        [key: string]: number;
                                    };
                                    ranges: {
                                        [key: string]: [
                                            number,
                                            number
                                        ][];
                                    };
                                    sets: {
                                        [key: string]: string[];
                                    };
                                };
                                /** @description Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets. */
                                used: {
                                    scalars: {
                                        [key: string]: number;
                                    };
                                    ranges: {
                                        [key: string]: [
                                            number,
                                            number
                                        ][];
                                    };
                                    sets: {
                                        [key: string]: string[];
                                    };
                                };
                                /** @description Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets. */
                                offered: {
                                    scalars: {
                                        [key: string]: number;
                                    };
                                    ranges: {
                                        [key: string]: [
                                            number,
                                            number
                                        ][];
                                    };
                                    sets: {
                                        [key: string]: string[];
                                    };
                                };
                            };
                            attributes: {
                                [key: string]: string;
                            };
                            isolators: string[];
                            version: string;
                            /** Format: date-time */
                            registeredAt: string;
                            /**
                             * Format: date-time
                             * @description The last message from the agent (registration, heartbeat, status update)
                             */
                            lastSeenAt: string;
                            /** @description Runs in the master process (orrery up): sends no heartbeats, so lastSeenAt is only its last status update */
                            inProcess: boolean;
                            /** @description Tasks not yet terminal */
                            tasks: number;
                        }[];
                    };
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        hostname: string;
                        /** @enum {string} */
                        state: "ACTIVE" | "DRAINING" | "RECOVERING" | "DISCONNECTED" | "GONE";
                        resources: {
                            /** @description Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets. */
                            total: {
                                scalars: {
                                    [key: string]: number;
                                };
                                ranges: {
                                    [key: string]: [
                                        number,
                                        number
                                    ][];
                                };
                                sets: {
                                    [key: string]: string[];
                                };
                            };
                            /** @description Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets. */
                            used: {
                                scalars: {
                                    [key: string]: number;
                                };
                                ranges: {
                                    [key: string]: [
                                        number,
                                        number
                                    ][];
                                };
                                sets: {
                                    [key: string]: string[];
                                };
                            };
                            /** @description Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets. */
                            offered: {
                                scalars: {
                                    [key: string]: number;
                                };
                                ranges: {
                                    [key: string]: [
                                        number,
                                        number
                                    ][];
                                };
                                sets: {
                                    [key: string]: string[];
                                };
                            };
                        };
                        attributes: {
                            [key: string]: string;
                        };
                        isolators: string[];
                        version: string;
                        /** Format: date-time */
                        registeredAt: string;
                        /**
                         * Format: date-time
                         * @description The last message from the agent (registration, heartbeat, status update)
                         */
                        lastSeenAt: string;
                        /** @description Runs in the master process (orrery up): sends no heartbeats, so lastSeenAt is only its last status update */
                        inProcess: boolean;
                        /** @description Tasks not yet terminal */
                        tasks: number;
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    drainAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        hostname: string;
                        /** @enum {string} */
                        state: "ACTIVE" | "DRAINING" | "RECOVERING" | "DISCONNECTED" | "GONE";
                        resources: {
                            /** @description Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets. */
                            total: {
                                scalars: {
                                    [key: string]: number;
                                };
                                ranges: {
                                    [key: string]: [
                                        number,
                                        number
                                    ][];
                                };
                                sets: {
                                    [key: string]: string[];
                                };
                            };
                            /** @description Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets. */
                            used: {
                                scalars: {
                                    [key: string]: number;
                                };
                                ranges: {
                                    [key: string]: [
                                        number,
                                        number
                                    ][];
                                };
                                sets: {
                                    [key: string]: string[];
                                };
                            };
                            /** @description Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets. */
                            offered: {
                                scalars: {
                                    [key: string]: number;
                                };
                                ranges: {
                                    [key: string]: [
                                        number,
                                        number
                                    ][];
                                };
                                sets: {
                                    [key: string]: string[];
                                };
                            };
                        };
                        attributes: {
                            [key: string]: string;
                        };
                        isolators: string[];
                        version: string;
                        /** Format: date-time */
                        registeredAt: string;
                        /**
                         * Format: date-time
                         * @description The last message from the agent (registration, heartbeat, status update)
                         */
                        lastSeenAt: string;
                        /** @description Runs in the master process (orrery up): sends no heartbeats, so lastSeenAt is only its last status update */
                        inProcess: boolean;
                        /** @description Tasks not yet terminal */
                        tasks: number;
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listApps: {
        parameters: {
            query?: {
                /** @description Only apps whose id contains this */
                id?: string;
                /** @description Label selector: `k`, `k==v`, `k!=v`, comma = and */
                label?: string;
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        total: number;
                        apps: components["schemas"]["App"][];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createApp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description A path such as /prod/web */
                    id: string;
                    /** @description Run with /bin/sh -c; exactly one of cmd and args */
                    cmd?: string;
                    /** @description argv, no shell */
                    args?: string[];
                    env?: {
                        [key: string]: string;
                    };
                    /** @description Default 1; 0 = suspended */
                    instances?: number;
                    /** @description Per instance. Default 1 */
                    cpus?: number;
                    /** @description MB per instance. Default 128 */
                    mem?: number;
                    /** @description MB per instance. Default 0 */
                    disk?: number;
                    gpus?: number;
                    /** @description Custom scalar resources per instance, e.g. {"cassandra-slot": 1} */
                    resources?: {
                        [key: string]: number;
                    };
                    /** @description Host ports from the agent `ports` ranges, given to the task as PORT0…, PORT, PORTS (and PORT_<NAME>) */
                    ports?: {
                        /** @description 0 (default) = any free port; otherwise exactly this host port */
                        port?: number;
                        name?: string;
                        /** @enum {string} */
                        protocol?: "tcp" | "udp";
                    }[];
                    /** @description Marathon constraints [field, operator, value?]: operator UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER or IS (the field equals the value); EQUALS, the jobs' name for IS, is accepted and stored as IS. Field: hostname or an agent attribute */
                    constraints?: ([
                    ] | [
                        string
                    ])[];
                    healthChecks?: {
                        /**
                         * @description Default HTTP
                         * @enum {string}
                         */
                        protocol?: "HTTP" | "TCP" | "COMMAND";
                        /** @description HTTP: path to GET; 200-399 passes. Default / */
                        path?: string;
                        /** @description HTTP/TCP: index into the instance host ports. Default 0 */
                        portIndex?: number;
                        /** @description COMMAND: run with /bin/sh -c on the apps service host with HOST and PORT* set; exit 0 passes */
                        command?: string;
                        /** @description Failures before the first success are ignored this long. Default 300 */
                        gracePeriodSeconds?: number;
                        /** @description Default 60 */
                        intervalSeconds?: number;
                        /** @description Default 20. A check never overlaps itself: a slow one delays the next */
                        timeoutSeconds?: number;
                        /** @description Replace the instance after this many; 0 = never. Default 3 */
                        maxConsecutiveFailures?: number;
                    }[];
                    upgradeStrategy?: {
                        /** @description Share of instances kept healthy during a rolling upgrade. Default 1 */
                        minimumHealthCapacity?: number;
                        /** @description Extra instances allowed during a rolling upgrade, as a share. Default 1 */
                        maximumOverCapacity?: number;
                    };
                    /** @description Launch delay after a failure. Default 1 */
                    backoffSeconds?: number;
                    /** @description Delay multiplier per consecutive failure. Default 1.15 */
                    backoffFactor?: number;
                    /** @description Cap of the delay. Default 300 */
                    maxLaunchDelaySeconds?: number;
                    /** @enum {string} */
                    killSelection?: "YOUNGEST_FIRST" | "OLDEST_FIRST";
                    taskKillGracePeriodSeconds?: number;
                    labels?: {
                        [key: string]: string;
                    };
                    /** @description Fetched into the sandbox before start (archives extracted) */
                    uris?: string[];
                    /** @description Like uris, with Mesos' options (Marathon's fetch) */
                    fetch?: {
                        uri: string;
                        /** @description Unpack .tar, .tar.gz/.tgz, .tar.bz2, .tar.xz, .zip (default true) */
                        extract?: boolean;
                        /** @description chmod 755, no extraction (default false) */
                        executable?: boolean;
                        /** @description Reuse the agent's cached download (default false) */
                        cache?: boolean;
                        /** @description Name in the sandbox (default: the last segment of the URI) */
                        outputFile?: string;
                    }[];
                    /** @description A deployment without progress this long fails. Default 600 */
                    progressDeadlineSeconds?: number;
                    /** @description Deploy the previous definition when a deployment fails. Default false */
                    autoRollback?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        version: string;
                        created: boolean;
                        app?: components["schemas"]["App"];
                        deployment: components["schemas"]["AppDeployment"];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The app is locked by a running deployment (ORR_ERR_APP_LOCKED), or it already exists (ORR_ERR_APP_EXISTS) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApp: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description App id: a path such as `/prod/web`, URL-encoded in the path (`%2Fprod%2Fweb`; the leading slash may be left out: `prod%2Fweb`). Ids are paths, and a path parameter cannot hold `/`, so the id is documented encoded (as GitLab does with project paths). Unencoded ids are accepted too, as under /v2: `/v1/apps/prod/web/tasks` is read as `/v1/apps/%2Fprod%2Fweb/tasks`, the sub-resource taken from the end of the path; an id whose last segments read as a sub-resource of the method (`/x/pending` for GET, `/x/tasks/y` for DELETE) must be encoded. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An app: its definition, version, status, counts, current deployment, backoff and last failure. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["App"];
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such app (ORR_ERR_APP_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putApp: {
        parameters: {
            query?: {
                /** @description Replace a running deployment of the app instead of answering 409 */
                force?: boolean;
            };
            header?: never;
            path: {
                /** @description App id: a path such as `/prod/web`, URL-encoded in the path (`%2Fprod%2Fweb`; the leading slash may be left out: `prod%2Fweb`). Ids are paths, and a path parameter cannot hold `/`, so the id is documented encoded (as GitLab does with project paths). Unencoded ids are accepted too, as under /v2: `/v1/apps/prod/web/tasks` is read as `/v1/apps/%2Fprod%2Fweb/tasks`, the sub-resource taken from the end of the path; an id whose last segments read as a sub-resource of the method (`/x/pending` for GET, `/x/tasks/y` for DELETE) must be encoded. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description A path such as /prod/web */
                    id?: string;
                    /** @description Run with /bin/sh -c; exactly one of cmd and args */
                    cmd?: string;
                    /** @description argv, no shell */
                    args?: string[];
                    env?: {
                        [key: string]: string;
                    };
                    /** @description Default 1; 0 = suspended */
                    instances?: number;
                    /** @description Per instance. Default 1 */
                    cpus?: number;
                    /** @description MB per instance. Default 128 */
                    mem?: number;
                    /** @description MB per instance. Default 0 */
                    disk?: number;
                    gpus?: number;
                    /** @description Custom scalar resources per instance, e.g. {"cassandra-slot": 1} */
                    resources?: {
                        [key: string]: number;
                    };
                    /** @description Host ports from the agent `ports` ranges, given to the task as PORT0…, PORT, PORTS (and PORT_<NAME>) */
                    ports?: {
                        /** @description 0 (default) = any free port; otherwise exactly this host port */
                        port?: number;
                        name?: string;
                        /** @enum {string} */
                        protocol?: "tcp" | "udp";
                    }[];
                    /** @description Marathon constraints [field, operator, value?]: operator UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER or IS (the field equals the value); EQUALS, the jobs' name for IS, is accepted and stored as IS. Field: hostname or an agent attribute */
                    constraints?: ([
                    ] | [
                        string
                    ])[];
                    healthChecks?: {
                        /**
                         * @description Default HTTP
                         * @enum {string}
                         */
                        protocol?: "HTTP" | "TCP" | "COMMAND";
                        /** @description HTTP: path to GET; 200-399 passes. Default / */
                        path?: string;
                        /** @description HTTP/TCP: index into the instance host ports. Default 0 */
                        portIndex?: number;
                        /** @description COMMAND: run with /bin/sh -c on the apps service host with HOST and PORT* set; exit 0 passes */
                        command?: string;
                        /** @description Failures before the first success are ignored this long. Default 300 */
                        gracePeriodSeconds?: number;
                        /** @description Default 60 */
                        intervalSeconds?: number;
                        /** @description Default 20. A check never overlaps itself: a slow one delays the next */
                        timeoutSeconds?: number;
                        /** @description Replace the instance after this many; 0 = never. Default 3 */
                        maxConsecutiveFailures?: number;
                    }[];
                    upgradeStrategy?: {
                        /** @description Share of instances kept healthy during a rolling upgrade. Default 1 */
                        minimumHealthCapacity?: number;
                        /** @description Extra instances allowed during a rolling upgrade, as a share. Default 1 */
                        maximumOverCapacity?: number;
                    };
                    /** @description Launch delay after a failure. Default 1 */
                    backoffSeconds?: number;
                    /** @description Delay multiplier per consecutive failure. Default 1.15 */
                    backoffFactor?: number;
                    /** @description Cap of the delay. Default 300 */
                    maxLaunchDelaySeconds?: number;
                    /** @enum {string} */
                    killSelection?: "YOUNGEST_FIRST" | "OLDEST_FIRST";
                    taskKillGracePeriodSeconds?: number;
                    labels?: {
                        [key: string]: string;
                    };
                    /** @description Fetched into the sandbox before start (archives extracted) */
                    uris?: string[];
                    /** @description Like uris, with Mesos' options (Marathon's fetch) */
                    fetch?: {
                        uri: string;
                        /** @description Unpack .tar, .tar.gz/.tgz, .tar.bz2, .tar.xz, .zip (default true) */
                        extract?: boolean;
                        /** @description chmod 755, no extraction (default false) */
                        executable?: boolean;
                        /** @description Reuse the agent's cached download (default false) */
                        cache?: boolean;
                        /** @description Name in the sandbox (default: the last segment of the URI) */
                        outputFile?: string;
                    }[];
                    /** @description A deployment without progress this long fails. Default 600 */
                    progressDeadlineSeconds?: number;
                    /** @description Deploy the previous definition when a deployment fails. Default false */
                    autoRollback?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        version: string;
                        created: boolean;
                        app?: components["schemas"]["App"];
                        deployment: components["schemas"]["AppDeployment"];
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        version: string;
                        created: boolean;
                        app?: components["schemas"]["App"];
                        deployment: components["schemas"]["AppDeployment"];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such app (ORR_ERR_APP_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The app is locked by a running deployment (ORR_ERR_APP_LOCKED), or it already exists (ORR_ERR_APP_EXISTS) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteApp: {
        parameters: {
            query?: {
                /** @description Replace a running deployment of the app instead of answering 409 */
                force?: boolean;
            };
            header?: never;
            path: {
                /** @description App id: a path such as `/prod/web`, URL-encoded in the path (`%2Fprod%2Fweb`; the leading slash may be left out: `prod%2Fweb`). Ids are paths, and a path parameter cannot hold `/`, so the id is documented encoded (as GitLab does with project paths). Unencoded ids are accepted too, as under /v2: `/v1/apps/prod/web/tasks` is read as `/v1/apps/%2Fprod%2Fweb/tasks`, the sub-resource taken from the end of the path; an id whose last segments read as a sub-resource of the method (`/x/pending` for GET, `/x/tasks/y` for DELETE) must be encoded. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        version: string;
                        created: boolean;
                        app?: components["schemas"]["App"];
                        deployment: components["schemas"]["AppDeployment"];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such app (ORR_ERR_APP_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The app is locked by a running deployment (ORR_ERR_APP_LOCKED), or it already exists (ORR_ERR_APP_EXISTS) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchApp: {
        parameters: {
            query?: {
                /** @description Replace a running deployment of the app instead of answering 409 */
                force?: boolean;
            };
            header?: never;
            path: {
                /** @description App id: a path such as `/prod/web`, URL-encoded in the path (`%2Fprod%2Fweb`; the leading slash may be left out: `prod%2Fweb`). Ids are paths, and a path parameter cannot hold `/`, so the id is documented encoded (as GitLab does with project paths). Unencoded ids are accepted too, as under /v2: `/v1/apps/prod/web/tasks` is read as `/v1/apps/%2Fprod%2Fweb/tasks`, the sub-resource taken from the end of the path; an id whose last segments read as a sub-resource of the method (`/x/pending` for GET, `/x/tasks/y` for DELETE) must be encoded. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    id?: string | null;
                    cmd?: string | null;
                    args?: string[] | null;
                    env?: {
                        [key: string]: string;
                    } | null;
                    instances?: number | null;
                    cpus?: number | null;
                    mem?: number | null;
                    disk?: number | null;
                    gpus?: number | null;
                    resources?: {
                        [key: string]: number;
                    } | null;
                    ports?: {
                        /** @description 0 (default) = any free port; otherwise exactly this host port */
                        port?: number;
                        name?: string;
                        /** @enum {string} */
                        protocol?: "tcp" | "udp";
                    }[] | null;
                    constraints?: ([
                    ] | [
                        string
                    ])[] | null;
                    healthChecks?: {
                        /**
                         * @description Default HTTP
                         * @enum {string}
                         */
                        protocol?: "HTTP" | "TCP" | "COMMAND";
                        /** @description HTTP: path to GET; 200-399 passes. Default / */
                        path?: string;
                        /** @description HTTP/TCP: index into the instance host ports. Default 0 */
                        portIndex?: number;
                        /** @description COMMAND: run with /bin/sh -c on the apps service host with HOST and PORT* set; exit 0 passes */
                        command?: string;
                        /** @description Failures before the first success are ignored this long. Default 300 */
                        gracePeriodSeconds?: number;
                        /** @description Default 60 */
                        intervalSeconds?: number;
                        /** @description Default 20. A check never overlaps itself: a slow one delays the next */
                        timeoutSeconds?: number;
                        /** @description Replace the instance after this many; 0 = never. Default 3 */
                        maxConsecutiveFailures?: number;
                    }[] | null;
                    upgradeStrategy?: {
                        /** @description Share of instances kept healthy during a rolling upgrade. Default 1 */
                        minimumHealthCapacity?: number;
                        /** @description Extra instances allowed during a rolling upgrade, as a share. Default 1 */
                        maximumOverCapacity?: number;
                    } | null;
                    backoffSeconds?: number | null;
                    backoffFactor?: number | null;
                    maxLaunchDelaySeconds?: number | null;
                    killSelection?: ("YOUNGEST_FIRST" | "OLDEST_FIRST") | null;
                    taskKillGracePeriodSeconds?: number | null;
                    labels?: {
                        [key: string]: string;
                    } | null;
                    uris?: string[] | null;
                    fetch?: {
                        uri: string;
                        /** @description Unpack .tar, .tar.gz/.tgz, .tar.bz2, .tar.xz, .zip (default true) */
                        extract?: boolean;
                        /** @description chmod 755, no extraction (default false) */
                        executable?: boolean;
                        /** @description Reuse the agent's cached download (default false) */
                        cache?: boolean;
                        /** @description Name in the sandbox (default: the last segment of the URI) */
                        outputFile?: string;
                    }[] | null;
                    progressDeadlineSeconds?: number | null;
                    autoRollback?: boolean | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        version: string;
                        created: boolean;
                        app?: components["schemas"]["App"];
                        deployment: components["schemas"]["AppDeployment"];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such app (ORR_ERR_APP_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The app is locked by a running deployment (ORR_ERR_APP_LOCKED), or it already exists (ORR_ERR_APP_EXISTS) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAppPending: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description App id: a path such as `/prod/web`, URL-encoded in the path (`%2Fprod%2Fweb`; the leading slash may be left out: `prod%2Fweb`). Ids are paths, and a path parameter cannot hold `/`, so the id is documented encoded (as GitLab does with project paths). Unencoded ids are accepted too, as under /v2: `/v1/apps/prod/web/tasks` is read as `/v1/apps/%2Fprod%2Fweb/tasks`, the sub-resource taken from the end of the path; an id whose last segments read as a sub-resource of the method (`/x/pending` for GET, `/x/tasks/y` for DELETE) must be encoded. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppPending"];
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such app (ORR_ERR_APP_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    restartApp: {
        parameters: {
            query?: {
                /** @description Replace a running deployment of the app instead of answering 409 */
                force?: boolean;
            };
            header?: never;
            path: {
                /** @description App id: a path such as `/prod/web`, URL-encoded in the path (`%2Fprod%2Fweb`; the leading slash may be left out: `prod%2Fweb`). Ids are paths, and a path parameter cannot hold `/`, so the id is documented encoded (as GitLab does with project paths). Unencoded ids are accepted too, as under /v2: `/v1/apps/prod/web/tasks` is read as `/v1/apps/%2Fprod%2Fweb/tasks`, the sub-resource taken from the end of the path; an id whose last segments read as a sub-resource of the method (`/x/pending` for GET, `/x/tasks/y` for DELETE) must be encoded. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        version: string;
                        created: boolean;
                        app?: components["schemas"]["App"];
                        deployment: components["schemas"]["AppDeployment"];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such app (ORR_ERR_APP_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The app is locked by a running deployment (ORR_ERR_APP_LOCKED), or it already exists (ORR_ERR_APP_EXISTS) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rollbackApp: {
        parameters: {
            query?: {
                /** @description Replace a running deployment of the app instead of answering 409 */
                force?: boolean;
            };
            header?: never;
            path: {
                /** @description App id: a path such as `/prod/web`, URL-encoded in the path (`%2Fprod%2Fweb`; the leading slash may be left out: `prod%2Fweb`). Ids are paths, and a path parameter cannot hold `/`, so the id is documented encoded (as GitLab does with project paths). Unencoded ids are accepted too, as under /v2: `/v1/apps/prod/web/tasks` is read as `/v1/apps/%2Fprod%2Fweb/tasks`, the sub-resource taken from the end of the path; an id whose last segments read as a sub-resource of the method (`/x/pending` for GET, `/x/tasks/y` for DELETE) must be encoded. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description A version from GET …/versions */
                    version?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        version: string;
                        created: boolean;
                        app?: components["schemas"]["App"];
                        deployment: components["schemas"]["AppDeployment"];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such app (ORR_ERR_APP_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The app is locked by a running deployment (ORR_ERR_APP_LOCKED), or it already exists (ORR_ERR_APP_EXISTS) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    scaleApp: {
        parameters: {
            query?: {
                /** @description Replace a running deployment of the app instead of answering 409 */
                force?: boolean;
            };
            header?: never;
            path: {
                /** @description App id: a path such as `/prod/web`, URL-encoded in the path (`%2Fprod%2Fweb`; the leading slash may be left out: `prod%2Fweb`). Ids are paths, and a path parameter cannot hold `/`, so the id is documented encoded (as GitLab does with project paths). Unencoded ids are accepted too, as under /v2: `/v1/apps/prod/web/tasks` is read as `/v1/apps/%2Fprod%2Fweb/tasks`, the sub-resource taken from the end of the path; an id whose last segments read as a sub-resource of the method (`/x/pending` for GET, `/x/tasks/y` for DELETE) must be encoded. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    instances: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        version: string;
                        created: boolean;
                        app?: components["schemas"]["App"];
                        deployment: components["schemas"]["AppDeployment"];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such app (ORR_ERR_APP_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The app is locked by a running deployment (ORR_ERR_APP_LOCKED), or it already exists (ORR_ERR_APP_EXISTS) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    suspendApp: {
        parameters: {
            query?: {
                /** @description Replace a running deployment of the app instead of answering 409 */
                force?: boolean;
            };
            header?: never;
            path: {
                /** @description App id: a path such as `/prod/web`, URL-encoded in the path (`%2Fprod%2Fweb`; the leading slash may be left out: `prod%2Fweb`). Ids are paths, and a path parameter cannot hold `/`, so the id is documented encoded (as GitLab does with project paths). Unencoded ids are accepted too, as under /v2: `/v1/apps/prod/web/tasks` is read as `/v1/apps/%2Fprod%2Fweb/tasks`, the sub-resource taken from the end of the path; an id whose last segments read as a sub-resource of the method (`/x/pending` for GET, `/x/tasks/y` for DELETE) must be encoded. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        version: string;
                        created: boolean;
                        app?: components["schemas"]["App"];
                        deployment: components["schemas"]["AppDeployment"];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such app (ORR_ERR_APP_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The app is locked by a running deployment (ORR_ERR_APP_LOCKED), or it already exists (ORR_ERR_APP_EXISTS) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAppTasks: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description App id: a path such as `/prod/web`, URL-encoded in the path (`%2Fprod%2Fweb`; the leading slash may be left out: `prod%2Fweb`). Ids are paths, and a path parameter cannot hold `/`, so the id is documented encoded (as GitLab does with project paths). Unencoded ids are accepted too, as under /v2: `/v1/apps/prod/web/tasks` is read as `/v1/apps/%2Fprod%2Fweb/tasks`, the sub-resource taken from the end of the path; an id whose last segments read as a sub-resource of the method (`/x/pending` for GET, `/x/tasks/y` for DELETE) must be encoded. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tasks: components["schemas"]["AppTask"][];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such app (ORR_ERR_APP_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    killAppTask: {
        parameters: {
            query?: {
                /** @description Replace a running deployment of the app instead of answering 409 */
                force?: boolean;
                scale?: boolean;
            };
            header?: never;
            path: {
                /** @description App id: a path such as `/prod/web`, URL-encoded in the path (`%2Fprod%2Fweb`; the leading slash may be left out: `prod%2Fweb`). Ids are paths, and a path parameter cannot hold `/`, so the id is documented encoded (as GitLab does with project paths). Unencoded ids are accepted too, as under /v2: `/v1/apps/prod/web/tasks` is read as `/v1/apps/%2Fprod%2Fweb/tasks`, the sub-resource taken from the end of the path; an id whose last segments read as a sub-resource of the method (`/x/pending` for GET, `/x/tasks/y` for DELETE) must be encoded. */
                id: string;
                taskId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        task: components["schemas"]["AppTask"];
                        deployment?: components["schemas"]["AppDeployment"];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such app or task */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The app is locked by a running deployment (ORR_ERR_APP_LOCKED), or it already exists (ORR_ERR_APP_EXISTS) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAppVersions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description App id: a path such as `/prod/web`, URL-encoded in the path (`%2Fprod%2Fweb`; the leading slash may be left out: `prod%2Fweb`). Ids are paths, and a path parameter cannot hold `/`, so the id is documented encoded (as GitLab does with project paths). Unencoded ids are accepted too, as under /v2: `/v1/apps/prod/web/tasks` is read as `/v1/apps/%2Fprod%2Fweb/tasks`, the sub-resource taken from the end of the path; an id whose last segments read as a sub-resource of the method (`/x/pending` for GET, `/x/tasks/y` for DELETE) must be encoded. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        versions: string[];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such app (ORR_ERR_APP_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAppVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description App id: a path such as `/prod/web`, URL-encoded in the path (`%2Fprod%2Fweb`; the leading slash may be left out: `prod%2Fweb`). Ids are paths, and a path parameter cannot hold `/`, so the id is documented encoded (as GitLab does with project paths). Unencoded ids are accepted too, as under /v2: `/v1/apps/prod/web/tasks` is read as `/v1/apps/%2Fprod%2Fweb/tasks`, the sub-resource taken from the end of the path; an id whose last segments read as a sub-resource of the method (`/x/pending` for GET, `/x/tasks/y` for DELETE) must be encoded. */
                id: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An app definition at one version, with every default filled in. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppDefinition"];
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such app or version */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listDeployments: {
        parameters: {
            query?: {
                all?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deployments: components["schemas"]["AppDeployment"][];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppDeployment"];
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such deployment */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancelDeployment: {
        parameters: {
            query?: {
                /** @description Stop without reverting: the app keeps its new definition */
                force?: boolean;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cancelled: components["schemas"]["AppDeployment"];
                        revert?: components["schemas"]["AppDeployment"];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such deployment */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The deployment already ended (ORR_ERR_APP_DEPLOYMENT_FINISHED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    streamEvents: {
        parameters: {
            query?: {
                /** @description Comma-separated event types; `task.*` matches a prefix */
                type?: string;
                /** @description Only events of this app id */
                app?: string;
                /** @description Only events of this job */
                job?: string;
                /** @description Same as the Last-Event-ID header, for clients that cannot set headers */
                lastEventId?: string;
            };
            header?: {
                "last-event-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An endless text/event-stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listFrameworks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        frameworks: {
                            id: string;
                            name: string;
                            role: string;
                            weight: number;
                            principal?: string;
                            active: boolean;
                            suppressed: boolean;
                            /** @description DRF dominant share, 0..1 */
                            dominantShare: number;
                            failoverTimeoutMs: number;
                            /** Format: date-time */
                            registeredAt: string;
                            /** Format: date-time */
                            disconnectedAt?: string;
                            tasks: number;
                            /** @description Outstanding offers */
                            offers: number;
                            /** @description Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets. */
                            used: {
                                scalars: {
                                    [key: string]: number;
                                };
                                ranges: {
                                    [key: string]: [
                                        number,
                                        number
                                    ][];
                                };
                                sets: {
                                    [key: string]: string[];
                                };
                            };
                        }[];
                    };
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFramework: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        role: string;
                        weight: number;
                        principal?: string;
                        active: boolean;
                        suppressed: boolean;
                        /** @description DRF dominant share, 0..1 */
                        dominantShare: number;
                        failoverTimeoutMs: number;
                        /** Format: date-time */
                        registeredAt: string;
                        /** Format: date-time */
                        disconnectedAt?: string;
                        tasks: number;
                        /** @description Outstanding offers */
                        offers: number;
                        /** @description Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets. */
                        used: {
                            scalars: {
                                [key: string]: number;
                            };
                            ranges: {
                                [key: string]: [
                                    number,
                                    number
                                ][];
                            };
                            sets: {
                                [key: string]: string[];
                            };
                        };
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    teardownFramework: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        tasksKilled: number;
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A framework built into this Orrery */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listJobs: {
        parameters: {
            query?: {
                /** @description Case-insensitive substring of the name */
                name?: string;
                /** @description Case-insensitive substring of the owner */
                owner?: string;
                status?: "fresh" | "running" | "success" | "failure" | "disabled";
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        total: number;
                        jobs: components["schemas"]["Job"][];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putJob: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    description?: string;
                    /** @description Who to tell when it fails (e.g. e-mail addresses) */
                    owner?: string;
                    labels?: {
                        [key: string]: string;
                    };
                    /** @description A shell command (run with /bin/sh -c), or argv as a list */
                    command: string | string[];
                    /** @description Cron (5 fields, or 6 with leading seconds) or ISO 8601 `R[n]/<start>/<period>`. Absent for dependent jobs (parents) and manual-only jobs. */
                    schedule?: string;
                    /** @description IANA time zone of the schedule (default UTC) */
                    timeZone?: string;
                    /** @description Jobs this one depends on: it runs once every parent succeeded since it last started */
                    parents?: string[];
                    cpus?: number;
                    /** @description MB */
                    mem?: number;
                    /** @description MB */
                    disk?: number;
                    gpus?: number;
                    /** @description More resources in Mesos syntax, e.g. `cassandra-slot:1` */
                    resources?: string;
                    env?: {
                        [key: string]: string;
                    };
                    /** @description Fetched into the sandbox before the command runs */
                    uris?: (string | {
                        uri: string;
                        extract?: boolean;
                        executable?: boolean;
                        cache?: boolean;
                    })[];
                    /** @description [field, operator, value] with operator EQUALS, LIKE or UNLIKE (CLUSTER = EQUALS); field is hostname or an agent attribute */
                    constraints?: [
                        string,
                        string,
                        string
                    ][];
                    /** @description Further attempts after a failed one (timeouts included; kills never retry) */
                    retries?: number;
                    /** @description Delay before retry n: initialMs × factor^(n-1), at most maxMs */
                    backoff?: {
                        initialMs?: number;
                        factor?: number;
                        maxMs?: number;
                    };
                    /** @description Kill a run still running after this long; the run is FAILED with a timeout reason */
                    timeoutMs?: number | null;
                    killGracePeriodMs?: number;
                    /**
                     * @description When a run is due while another is active: allow both, forbid (record SKIPPED), or replace (kill the old)
                     * @enum {string}
                     */
                    concurrencyPolicy?: "allow" | "forbid" | "replace";
                    /** @description Chronos' epsilon: a trigger that cannot start within this is recorded MISSED, not run late */
                    latenessLimitMs?: number | null;
                    /**
                     * @description Occurrences missed while no replica ran: skip all, run the newest once, or run all (up to missedRunLimit)
                     * @enum {string}
                     */
                    missedRunPolicy?: "skip" | "once" | "all";
                    missedRunLimit?: number;
                    disabled?: boolean;
                    /** @description Runs kept in the history */
                    historyLimit?: number;
                    /** @description The job's own revision: 1 when it is created, +1 on every write of this job (an edit, enable/disable, detaching a deleted parent); writes of other jobs do not change it, and a job created again under a deleted job's name starts at 1 again. Send it back to write only if nobody changed the job meanwhile (409 otherwise); 0 = create only. */
                    version?: number;
                    /** Format: date-time */
                    readonly createdAt?: string;
                    /** Format: date-time */
                    readonly updatedAt?: string;
                    /** @enum {string} */
                    readonly status?: "fresh" | "running" | "success" | "failure" | "disabled";
                    /** Format: date-time */
                    readonly nextRunAt?: string;
                    readonly children?: string[];
                    readonly stats?: {
                        successCount: number;
                        errorCount: number;
                        errorsSinceLastSuccess: number;
                        /** Format: date-time */
                        lastSuccess?: string;
                        /** Format: date-time */
                        lastError?: string;
                        /** @description Runs waiting for resources */
                        queued: number;
                        /** @description Runs starting or running */
                        running: number;
                        missedCount?: number;
                        skippedCount?: number;
                        /** @description Run time (start to end) of the job's last 100 succeeded runs, ms; in lists too; absent before the first success */
                        duration?: {
                            count: number;
                            p50: number;
                            p90: number;
                            p99: number;
                            max: number;
                        };
                        /** @description Due time to start of the runs in the history, ms (lateness plus waiting for resources); only on GET /v1/jobs/{name} */
                        startDelay?: {
                            count: number;
                            p50: number;
                            p90: number;
                            p99: number;
                            max: number;
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Replaced */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getJobGraph: {
        parameters: {
            query?: {
                format?: "json" | "dot";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Nodes and edges, or Graphviz dot */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobGraph"];
                    "text/vnd.graphviz": string;
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A job definition with its state */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteJob: {
        parameters: {
            query?: {
                force?: boolean;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deleted: string;
                        /** @description Children that no longer depend on it */
                        detached: string[];
                        /** @description Runs killed */
                        killed: string[];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    disableJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A job definition with its state */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    enableJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A job definition with its state */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    killJobRuns: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Run ids */
                        killed: string[];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listJobRuns: {
        parameters: {
            query?: {
                state?: "QUEUED" | "STARTING" | "RUNNING" | "SUCCEEDED" | "FAILED" | "KILLED" | "MISSED" | "SKIPPED";
                limit?: number;
                offset?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        total: number;
                        runs: components["schemas"]["JobRun"][];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startJobRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Appended to the command of this run */
                    arguments?: string[];
                };
            };
        };
        responses: {
            /** @description One firing of a job */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobRun"];
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getJobRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One firing of a job */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobRun"];
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    previewJobSchedule: {
        parameters: {
            query?: {
                count?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobSchedule"];
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLeader: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        address: string;
                        epoch: number;
                        /** Format: date-time */
                        electedAt: string;
                    };
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putDependentJobChronos3: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    command: string;
                    /** @description R[n]/<start>/<period> (a cron expression is accepted too) */
                    schedule?: string;
                    scheduleTimeZone?: string;
                    parents?: string[];
                    /** @description ISO 8601 duration: the lateness limit */
                    epsilon?: string;
                    retries?: number;
                    owner?: string;
                    ownerName?: string;
                    description?: string;
                    async?: boolean;
                    disabled?: boolean;
                    softError?: boolean;
                    concurrent?: boolean;
                    highPriority?: boolean;
                    cpus?: number;
                    mem?: number;
                    disk?: number;
                    uris?: string[];
                    fetch?: {
                        uri: string;
                        executable?: boolean;
                        extract?: boolean;
                        cache?: boolean;
                        outputFile?: string;
                    }[];
                    environmentVariables?: {
                        name: string;
                        value: string;
                    }[];
                    shell?: boolean;
                    arguments?: string[];
                    constraints?: [
                        string,
                        string,
                        string
                    ][];
                    runAsUser?: string;
                    /** @description Accepted and returned; not acted on */
                    container?: Record<string, never>;
                    executor?: string;
                    executorFlags?: string;
                    taskInfoData?: string;
                    dataProcessingJobType?: boolean;
                    /** @description Seconds; 0 = no timeout */
                    maxCompletionTime?: number;
                    /** @description Managed by the server; ignored on input */
                    successCount?: number;
                    /** @description Managed by the server; ignored on input */
                    errorCount?: number;
                    /** @description Managed by the server; ignored on input */
                    errorsSinceLastSuccess?: number;
                    /** @description Managed by the server; ignored on input */
                    lastSuccess?: string;
                    /** @description Managed by the server; ignored on input */
                    lastError?: string;
                };
            };
        };
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getGraphDotChronos3: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Graphviz dot */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putScheduledJobChronos3: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    command: string;
                    /** @description R[n]/<start>/<period> (a cron expression is accepted too) */
                    schedule?: string;
                    scheduleTimeZone?: string;
                    parents?: string[];
                    /** @description ISO 8601 duration: the lateness limit */
                    epsilon?: string;
                    retries?: number;
                    owner?: string;
                    ownerName?: string;
                    description?: string;
                    async?: boolean;
                    disabled?: boolean;
                    softError?: boolean;
                    concurrent?: boolean;
                    highPriority?: boolean;
                    cpus?: number;
                    mem?: number;
                    disk?: number;
                    uris?: string[];
                    fetch?: {
                        uri: string;
                        executable?: boolean;
                        extract?: boolean;
                        cache?: boolean;
                        outputFile?: string;
                    }[];
                    environmentVariables?: {
                        name: string;
                        value: string;
                    }[];
                    shell?: boolean;
                    arguments?: string[];
                    constraints?: [
                        string,
                        string,
                        string
                    ][];
                    runAsUser?: string;
                    /** @description Accepted and returned; not acted on */
                    container?: Record<string, never>;
                    executor?: string;
                    executorFlags?: string;
                    taskInfoData?: string;
                    dataProcessingJobType?: boolean;
                    /** @description Seconds; 0 = no timeout */
                    maxCompletionTime?: number;
                    /** @description Managed by the server; ignored on input */
                    successCount?: number;
                    /** @description Managed by the server; ignored on input */
                    errorCount?: number;
                    /** @description Managed by the server; ignored on input */
                    errorsSinceLastSuccess?: number;
                    /** @description Managed by the server; ignored on input */
                    lastSuccess?: string;
                    /** @description Managed by the server; ignored on input */
                    lastError?: string;
                };
            };
        };
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getJobChronos3: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A job in Chronos' JSON, with its managed counters */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChronosJob"];
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startJobChronos3: {
        parameters: {
            query?: {
                arguments?: string;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteJobChronos3: {
        parameters: {
            query?: {
                force?: boolean;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listJobsChronos3: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChronosJob"][];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    killJobTasksChronos3: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getState: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        masterId: string;
                        /** Format: date-time */
                        startedAt: string;
                        leader?: {
                            id: string;
                            address: string;
                            epoch: number;
                            /** Format: date-time */
                            electedAt: string;
                        };
                        agents: {
                            id: string;
                            hostname: string;
                            /** @enum {string} */
                            state: "ACTIVE" | "DRAINING" | "RECOVERING" | "DISCONNECTED" | "GONE";
                            resources: {
                                /** @description Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets. */
                                total: {
                                    scalars: {
                                        [key: string]: number;
                                    };
                                    ranges: {
                                        [key: string]: [
                                            number,
                                            number
                                        ][];
                                    };
                                    sets: {
                                        [key: string]: string[];
                                    };
                                };
                                /** @description Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets. */
                                used: {
                                    scalars: {
                                        [key: string]: number;
                                    };
                                    ranges: {
                                        [key: string]: [
                                            number,
                                            number
                                        ][];
                                    };
                                    sets: {
                                        [key: string]: string[];
                                    };
                                };
                                /** @description Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets. */
                                offered: {
                                    scalars: {
                                        [key: string]: number;
                                    };
                                    ranges: {
                                        [key: string]: [
                                            number,
                                            number
                                        ][];
                                    };
                                    sets: {
                                        [key: string]: string[];
                                    };
                                };
                            };
                            attributes: {
                                [key: string]: string;
                            };
                            isolators: string[];
                            version: string;
                            /** Format: date-time */
                            registeredAt: string;
                            /**
                             * Format: date-time
                             * @description The last message from the agent (registration, heartbeat, status update)
                             */
                            lastSeenAt: string;
                            /** @description Runs in the master process (orrery up): sends no heartbeats, so lastSeenAt is only its last status update */
                            inProcess: boolean;
                            /** @description Tasks not yet terminal */
                            tasks: number;
                        }[];
                        frameworks: {
                            id: string;
                            name: string;
                            role: string;
                            weight: number;
                            principal?: string;
                            active: boolean;
                            suppressed: boolean;
                            /** @description DRF dominant share, 0..1 */
                            dominantShare: number;
                            failoverTimeoutMs: number;
                            /** Format: date-time */
                            registeredAt: string;
                            /** Format: date-time */
                            disconnectedAt?: string;
                            tasks: number;
                            /** @description Outstanding offers */
                            offers: number;
                            /** @description Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets. */
                            used: {
                                scalars: {
                                    [key: string]: number;
                                };
                                ranges: {
                                    [key: string]: [
                                        number,
                                        number
                                    ][];
                                };
                                sets: {
                                    [key: string]: string[];
                                };
                            };
                        }[];
                        tasks: {
                            id: string;
                            name: string;
                            frameworkId: string;
                            agentId?: string;
                            hostname?: string;
                            /** @enum {string} */
                            state: "PENDING" | "STAGING" | "STARTING" | "RUNNING" | "KILLING" | "FINISHED" | "FAILED" | "KILLED" | "ERROR" | "LOST" | "DROPPED" | "UNREACHABLE" | "GONE" | "UNKNOWN";
                            reason?: string;
                            message?: string;
                            /** @description Why a PENDING task has not been launched yet */
                            pendingReason?: string;
                            exitCode?: number;
                            signal?: string;
                            healthy?: boolean;
                            /** @description Pid of the task's executor on its agent; also the task's process group */
                            executorPid?: number;
                            /** @description Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets. */
                            resources: {
                                scalars: {
                                    [key: string]: number;
                                };
                                ranges: {
                                    [key: string]: [
                                        number,
                                        number
                                    ][];
                                };
                                sets: {
                                    [key: string]: string[];
                                };
                            };
                            command: {
                                shell: boolean;
                                value?: string;
                                arguments?: string[];
                                /** @description Names of the environment variables (values are not shown) */
                                env?: string[];
                            };
                            labels?: {
                                [key: string]: string;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            startedAt?: string;
                            /** Format: date-time */
                            finishedAt?: string;
                            /** Format: date-time */
                            updatedAt: string;
                            durationMs?: number;
                            history: {
                                /** @enum {string} */
                                state: "PENDING" | "STAGING" | "STARTING" | "RUNNING" | "KILLING" | "FINISHED" | "FAILED" | "KILLED" | "ERROR" | "LOST" | "DROPPED" | "UNREACHABLE" | "GONE" | "UNKNOWN";
                                /** Format: date-time */
                                timestamp: string;
                                reason?: string;
                                message?: string;
                            }[];
                        }[];
                        taskCounts: {
                            [key: string]: number;
                        };
                    };
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTasks: {
        parameters: {
            query?: {
                state?: "PENDING" | "STAGING" | "STARTING" | "RUNNING" | "KILLING" | "FINISHED" | "FAILED" | "KILLED" | "ERROR" | "LOST" | "DROPPED" | "UNREACHABLE" | "GONE" | "UNKNOWN";
                framework?: string;
                agent?: string;
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        total: number;
                        tasks: {
                            id: string;
                            name: string;
                            frameworkId: string;
                            agentId?: string;
                            hostname?: string;
                            /** @enum {string} */
                            state: "PENDING" | "STAGING" | "STARTING" | "RUNNING" | "KILLING" | "FINISHED" | "FAILED" | "KILLED" | "ERROR" | "LOST" | "DROPPED" | "UNREACHABLE" | "GONE" | "UNKNOWN";
                            reason?: string;
                            message?: string;
                            /** @description Why a PENDING task has not been launched yet */
                            pendingReason?: string;
                            exitCode?: number;
                            signal?: string;
                            healthy?: boolean;
                            /** @description Pid of the task's executor on its agent; also the task's process group */
                            executorPid?: number;
                            /** @description Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets. */
                            resources: {
                                scalars: {
                                    [key: string]: number;
                                };
                                ranges: {
                                    [key: string]: [
                                        number,
                                        number
                                    ][];
                                };
                                sets: {
                                    [key: string]: string[];
                                };
                            };
                            command: {
                                shell: boolean;
                                value?: string;
                                arguments?: string[];
                                /** @description Names of the environment variables (values are not shown) */
                                env?: string[];
                            };
                            labels?: {
                                [key: string]: string;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            startedAt?: string;
                            /** Format: date-time */
                            finishedAt?: string;
                            /** Format: date-time */
                            updatedAt: string;
                            durationMs?: number;
                            history: {
                                /** @enum {string} */
                                state: "PENDING" | "STAGING" | "STARTING" | "RUNNING" | "KILLING" | "FINISHED" | "FAILED" | "KILLED" | "ERROR" | "LOST" | "DROPPED" | "UNREACHABLE" | "GONE" | "UNKNOWN";
                                /** Format: date-time */
                                timestamp: string;
                                reason?: string;
                                message?: string;
                            }[];
                        }[];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    runTask: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    /** @description A shell command (run with /bin/sh -c), or argv as a list */
                    command: string | string[];
                    cpus: number;
                    /** @description MB */
                    mem: number;
                    /** @description MB */
                    disk?: number;
                    gpus?: number;
                    /** @description More resources in Mesos syntax, e.g. `cassandra-slot:1;ports:[31000-31000]` */
                    resources?: string;
                    env?: {
                        [key: string]: string;
                    };
                    /** @description Marathon-style [field, operator, value] with operator EQUALS, CLUSTER, LIKE or UNLIKE; field is hostname or an agent attribute */
                    constraints?: [
                        string,
                        string,
                        string
                    ][];
                    killGracePeriodMs?: number;
                    /** @description Fetched into the sandbox before the command starts (http, https, file); the command runs in the sandbox */
                    uris?: (string | {
                        value: string;
                        /** @description Unpack .tar, .tar.gz/.tgz, .tar.bz2, .tar.xz, .zip into the sandbox (default true) */
                        extract?: boolean;
                        /** @description Mark the file executable (disables extraction) */
                        executable?: boolean;
                        /** @description Keep the download in the agent's cache and reuse it for the same URI */
                        cache?: boolean;
                        /** @description Name in the sandbox (default: the last segment of the URI) */
                        outputFile?: string;
                    })[];
                    /** @description Run by the agent against the RUNNING task; results appear as the task's `healthy`. After consecutiveFailures failures in a row the task is killed (unless killOnFailure is false) */
                    healthCheck?: {
                        /** @enum {string} */
                        type: "HTTP" | "TCP" | "COMMAND";
                        /** @description HTTP: GET http://127.0.0.1:<port><path>; 2xx and 3xx pass */
                        path?: string;
                        /** @description HTTP, TCP: which port of the task's ports resource (default 0) */
                        portIndex?: number;
                        /** @description COMMAND: run with /bin/sh -c in the sandbox with the task's env; exit 0 passes */
                        command?: string;
                        delayMs?: number;
                        /** @description Failures before the first success within this time do not count (default 10000) */
                        gracePeriodMs?: number;
                        /** @description Default 10000 */
                        intervalMs?: number;
                        /** @description Default 20000 */
                        timeoutMs?: number;
                        /** @description Default 3; 0 = never */
                        consecutiveFailures?: number;
                        /** @description Default true */
                        killOnFailure?: boolean;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        state: "PENDING" | "STAGING" | "STARTING" | "RUNNING" | "KILLING" | "FINISHED" | "FAILED" | "KILLED" | "ERROR" | "LOST" | "DROPPED" | "UNREACHABLE" | "GONE" | "UNKNOWN";
                        url: string;
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        frameworkId: string;
                        agentId?: string;
                        hostname?: string;
                        /** @enum {string} */
                        state: "PENDING" | "STAGING" | "STARTING" | "RUNNING" | "KILLING" | "FINISHED" | "FAILED" | "KILLED" | "ERROR" | "LOST" | "DROPPED" | "UNREACHABLE" | "GONE" | "UNKNOWN";
                        reason?: string;
                        message?: string;
                        /** @description Why a PENDING task has not been launched yet */
                        pendingReason?: string;
                        exitCode?: number;
                        signal?: string;
                        healthy?: boolean;
                        /** @description Pid of the task's executor on its agent; also the task's process group */
                        executorPid?: number;
                        /** @description Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets. */
                        resources: {
                            scalars: {
                                [key: string]: number;
                            };
                            ranges: {
                                [key: string]: [
                                    number,
                                    number
                                ][];
                            };
                            sets: {
                                [key: string]: string[];
                            };
                        };
                        command: {
                            shell: boolean;
                            value?: string;
                            arguments?: string[];
                            /** @description Names of the environment variables (values are not shown) */
                            env?: string[];
                        };
                        labels?: {
                            [key: string]: string;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: date-time */
                        startedAt?: string;
                        /** Format: date-time */
                        finishedAt?: string;
                        /** Format: date-time */
                        updatedAt: string;
                        durationMs?: number;
                        history: {
                            /** @enum {string} */
                            state: "PENDING" | "STAGING" | "STARTING" | "RUNNING" | "KILLING" | "FINISHED" | "FAILED" | "KILLED" | "ERROR" | "LOST" | "DROPPED" | "UNREACHABLE" | "GONE" | "UNKNOWN";
                            /** Format: date-time */
                            timestamp: string;
                            reason?: string;
                            message?: string;
                        }[];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    killTask: {
        parameters: {
            query?: {
                gracePeriodMs?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        state: "PENDING" | "STAGING" | "STARTING" | "RUNNING" | "KILLING" | "FINISHED" | "FAILED" | "KILLED" | "ERROR" | "LOST" | "DROPPED" | "UNREACHABLE" | "GONE" | "UNKNOWN";
                        url: string;
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    readTaskFile: {
        parameters: {
            query?: {
                offset?: number;
                length?: number;
            };
            header?: never;
            path: {
                id: string;
                file: "stdout" | "stderr";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: string;
                        offset: number;
                        /** @description Size of the whole file in bytes */
                        size: number;
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTaskStats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        taskId: string;
                        /** @description When the agent sampled it, ms since epoch */
                        timestamp: number;
                        /** @description False: the last sample, taken as the task ended */
                        running: boolean;
                        /** @description What measured it: cgroups/v1, cgroups/v2 or posix */
                        isolation: string;
                        /** @description The cpus the task was given */
                        cpusLimit?: number;
                        /** @description CPU time in user mode */
                        cpusUserTimeSecs: number;
                        /** @description CPU time in the kernel */
                        cpusSystemTimeSecs: number;
                        /** @description CFS periods elapsed (cgroups) */
                        cpusNrPeriods?: number;
                        /** @description Periods in which the task was throttled (cgroups) */
                        cpusNrThrottled?: number;
                        /** @description Time throttled (cgroups) */
                        cpusThrottledTimeSecs?: number;
                        /** @description Resident memory */
                        memRssBytes?: number;
                        /** @description Memory counted against the limit: cgroup usage (resident + page cache), or RSS under posix */
                        memTotalBytes?: number;
                        /** @description Peak of memTotalBytes (cgroups) */
                        memMaxTotalBytes?: number;
                        /** @description The memory limit enforced */
                        memLimitBytes?: number;
                        /** @description Processes the kernel's OOM killer killed in the task's cgroup */
                        memOomKills?: number;
                        /** @description Processes of the task */
                        processes?: number;
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    whoami: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The name the token was configured with */
                        name: string;
                        /** @enum {string} */
                        role: "viewer" | "operator" | "admin";
                        /** @description Whether the server requires tokens */
                        authentication: boolean;
                    };
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    marathonListApps: {
        parameters: {
            query?: {
                cmd?: string;
                id?: string;
                label?: string;
                embed?: string | string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        apps: components["schemas"]["MarathonApp"][];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    marathonCreateApp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Marathon's AppInfo (RAML v2/types/app.raml): the definition plus tasksStaged/Running/Healthy/Unhealthy, deployments and, when embedded, tasks */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MarathonApp"];
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description App exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Object is not valid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    marathonGetApp: {
        parameters: {
            query?: {
                embed?: string | string[];
            };
            header?: never;
            path: {
                /** @description App id path, optionally followed by /tasks, /versions[/<version>], /restart or /tasks/<taskId> */
                "*": string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        app: components["schemas"]["MarathonApp"];
                    } | {
                        tasks: components["schemas"]["MarathonTask"][];
                    } | {
                        versions: string[];
                    } | {
                        id: string;
                        version: string;
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description App '…' does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    marathonPutApp: {
        parameters: {
            query?: {
                force?: boolean;
                partialUpdate?: boolean;
            };
            header?: never;
            path: {
                /** @description App id path, optionally followed by /tasks, /versions[/<version>], /restart or /tasks/<taskId> */
                "*": string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        version: string;
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        version: string;
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description App is locked by a deployment */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Object is not valid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    marathonRestartApp: {
        parameters: {
            query?: {
                force?: boolean;
            };
            header?: never;
            path: {
                /** @description App id path, optionally followed by /tasks, /versions[/<version>], /restart or /tasks/<taskId> */
                "*": string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        version: string;
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such app */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description App is locked by a deployment */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    marathonDeleteApp: {
        parameters: {
            query?: {
                force?: boolean;
                scale?: boolean;
                wipe?: boolean;
            };
            header?: never;
            path: {
                /** @description App id path, optionally followed by /tasks, /versions[/<version>], /restart or /tasks/<taskId> */
                "*": string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        version: string;
                    } | {
                        task: components["schemas"]["MarathonTask"];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such app or task */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description App is locked by a deployment */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    marathonListDeployments: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MarathonDeployment"][];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    marathonCancelDeployment: {
        parameters: {
            query?: {
                force?: boolean;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        version: string;
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such deployment */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    marathonEvents: {
        parameters: {
            query?: {
                /** @description Only these Marathon event types (repeatable) */
                event_type?: string[];
                /** @description Accepted for compatibility; plans are always light */
                "plan-format"?: "light" | "full";
            };
            header?: {
                "last-event-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An endless text/event-stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    marathonInfo: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        version: string;
                        elected: boolean;
                        leader?: string | null;
                        frameworkId?: string | null;
                    };
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    marathonLeader: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        leader: string;
                    };
                };
            };
            /** @description No leader */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    marathonListTasks: {
        parameters: {
            query?: {
                status?: "running" | "staging";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tasks: components["schemas"]["MarathonTask"][];
                    };
                };
            };
            /** @description Invalid request: `errors` names each offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Client error */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Server error; retry when the code is retryable (see x-error-catalogue) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
