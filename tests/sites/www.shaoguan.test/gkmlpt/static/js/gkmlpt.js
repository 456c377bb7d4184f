/* gkmlpt front end (stand-in): loads /gkmlpt/api/all/<catalog>?page=N&sid=<SID> */
